//! The region gazetteer (行政区): every province, prefecture and county of China with its
//! GB/T 2260 code and parent, and the rules that find them in a document.
//!
//! The data is `data/regions.tsv` (see `data/REGIONS.md` for where it comes from). It is
//! compiled into the crate and indexed once, on first use.
//!
//! ```
//! use taizhang_extract::region;
//!
//! let found = region::find_in_text("2025年遵义市播州区政府工作报告").expect("a region");
//! assert_eq!(found.code, "520304");
//! let region = region::by_code(&found.code).expect("a known code");
//! assert_eq!(region.full_name(), "贵州省遵义市播州区");
//! ```
//!
//! Names are matched with their suffix (省, 市, 县, 区, 旗, 州, 盟 …): `东城` inside `广东城市`
//! is no region. Short names without suffix (`遵义`, `山东`) only support a full name found
//! elsewhere, except at the very start of a title. A name shared by several regions
//! (`朝阳区`, `城关区`) counts only when a parent or a sibling in the text tells which one
//! is meant.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use crate::model::{Level, RegionRef};

/// The gazetteer, one region a line: code, name, parent code.
const DATA: &str = include_str!("../data/regions.tsv");

/// A region of the gazetteer: a cheap, copyable view of one of its rows.
#[derive(Clone, Copy)]
pub struct Region {
    entry: &'static Entry,
}

impl Region {
    /// The six-digit GB/T 2260 code (`520304`).
    pub fn code(&self) -> &'static str {
        self.entry.code
    }

    /// The name as the gazetteer has it (`播州区`).
    pub fn name(&self) -> &'static str {
        self.entry.name
    }

    /// Province, prefecture or county.
    pub fn level(&self) -> Level {
        self.entry.level
    }

    /// The region one level up: the prefecture of a county, the province of a prefecture.
    /// Counties of a municipality and county-level cities directly under a province have the
    /// province as parent.
    pub fn parent(&self) -> Option<Region> {
        let g = gazetteer();
        self.entry.parent.map(|i| g.region(i))
    }

    /// The province, prefecture and county chain of names: `贵州省遵义市播州区`.
    pub fn full_name(&self) -> String {
        let mut chain = vec![self.name()];
        let mut up = self.parent();
        while let Some(r) = up {
            chain.push(r.name());
            up = r.parent();
        }
        chain.iter().rev().copied().collect()
    }

    /// The reference stored in document metadata.
    pub fn to_ref(&self) -> RegionRef {
        RegionRef {
            code: self.code().to_owned(),
            name: self.name().to_owned(),
            level: self.level(),
        }
    }
}

impl PartialEq for Region {
    fn eq(&self, other: &Region) -> bool {
        self.code() == other.code()
    }
}

impl Eq for Region {}

impl fmt::Debug for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Region")
            .field("code", &self.code())
            .field("name", &self.name())
            .field("level", &self.level())
            .field("parent", &self.parent().map(|p| p.code()))
            .finish()
    }
}

impl From<Region> for RegionRef {
    fn from(region: Region) -> RegionRef {
        region.to_ref()
    }
}

/// The region with this six-digit code, if the gazetteer has it.
pub fn by_code(code: &str) -> Option<Region> {
    let g = gazetteer();
    g.by_code.get(code).map(|&i| g.region(i))
}

/// Every region of the gazetteer, ordered by code.
pub fn all() -> impl Iterator<Item = Region> {
    gazetteer().regions.iter().map(|entry| Region { entry })
}

/// The region a document speaks for, from its title or its opening lines (the first 2000
/// characters or so).
///
/// Every region name with its suffix is found; a name directly preceded by its parent
/// (`遵义市播州区`) stands for the more specific region. The region named first (the title,
/// usually) counts most, then the one named most often. `None` when no region is named, or
/// when the winning name is shared by several regions and nothing in the text tells which.
pub fn find_in_text(text: &str) -> Option<RegionRef> {
    let g = gazetteer();
    let scan = Scan::new(g, text);
    match scan.speaker() {
        Some(Subject::Region(i)) => Some(g.region(i).to_ref()),
        Some(Subject::Unresolved(_)) => None,
        None => scan.title_short_name().map(|i| g.region(i).to_ref()),
    }
}

/// Every region named in the text with its suffix, as byte spans in text order.
///
/// A name shared by several regions is reported only where a parent or a sibling in the
/// text tells which one is meant; short names without suffix are not reported.
pub fn mentions(text: &str) -> Vec<(usize, usize, RegionRef)> {
    let g = gazetteer();
    let scan = Scan::new(g, text);
    scan.mentions
        .iter()
        .filter_map(|m| m.resolved.map(|i| (m.start, m.end, g.region(i).to_ref())))
        .collect()
}

/// One row of the gazetteer.
#[derive(Debug)]
struct Entry {
    code: &'static str,
    name: &'static str,
    level: Level,
    parent: Option<u32>,
}

/// How much a name can be trusted when it stands alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strength {
    /// A common word too (`城区`, `郊区`): counts only right after its parent.
    Generic,
    /// Short or easily part of a longer phrase (`献县` in `贡献县域`, `河南县`): counts
    /// after its parent or at a word boundary, and never before `域`, `级` or `乡`.
    Weak,
    /// Anything else.
    Normal,
}

/// What a string of the index is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameKind {
    /// A name with its suffix (`遵义市`) or an alias with a suffix (`黔南州`).
    Full,
    /// The name of a province or prefecture without its suffix (`遵义`).
    Short,
    /// A word that is no region, to stop a name inside it being taken: one of [`BLOCKERS`].
    Blocker,
}

/// A name with its suffix (`遵义市`, `黔南州`), a short name (`遵义`) or a blocker.
#[derive(Debug)]
struct Name {
    text: String,
    kind: NameKind,
    strength: Strength,
    /// Indices of the regions with this name.
    regions: Vec<u32>,
}

struct Gazetteer {
    regions: Vec<Entry>,
    by_code: HashMap<&'static str, u32>,
    names: Vec<Name>,
    /// Indices into `names` by first character, longest name first.
    by_first: HashMap<char, Vec<u32>>,
    /// The length in bytes of the longest string in `names`.
    max_len: usize,
}

impl Gazetteer {
    fn region(&'static self, i: u32) -> Region {
        Region { entry: &self.regions[i as usize] }
    }

    fn parent(&self, i: u32) -> Option<u32> {
        self.regions[i as usize].parent
    }

    /// Whether `a` is a strict ancestor of `i`.
    fn is_ancestor(&self, a: u32, i: u32) -> bool {
        let mut up = self.parent(i);
        while let Some(p) = up {
            if p == a {
                return true;
            }
            up = self.parent(p);
        }
        false
    }
}

fn gazetteer() -> &'static Gazetteer {
    static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
    GAZETTEER.get_or_init(build)
}

/// Names whose part before the suffix is, or ends with, an ethnic group; stripped to make
/// the short form (`黔南布依族苗族自治州` → `黔南`).
#[rustfmt::skip]
const ETHNIC_GROUPS: &[&str] = &[
    "蒙古族", "蒙古", "回族", "藏族", "维吾尔", "苗族", "彝族", "壮族", "布依族",
    "朝鲜族", "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族",
    "哈萨克", "傣族", "黎族", "傈僳族", "佤族", "畲族", "拉祜族", "水族",
    "东乡族", "纳西族", "景颇族", "柯尔克孜", "土族", "达斡尔族", "仫佬族", "羌族",
    "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯", "普米族", "塔吉克", "怒族",
    "鄂温克族", "保安族", "裕固族", "独龙族", "鄂伦春", "各族",
];

/// Names that are also everyday words in planning documents.
const GENERIC_NAMES: &[&str] =
    &["城区", "郊区", "矿区", "东区", "西区", "新城区", "老城区", "古城区", "平房区", "解放区"];

/// Names before their suffix that are everyday words too (`中南部县城`, `公安县级`).
const COMMON_WORD_BASES: &[&str] = &[
    "南部", "公安", "平安", "同心", "光明", "太平", "大方", "城东", "城西", "城南", "城北", "城中",
];

/// Everyday words that end inside a region name: a name straddled by one of them is part of
/// another word (`适应城市` is no 应城市, `中南部县城` no 南部县, `罗浮山县` no 浮山县).
#[rustfmt::skip]
const BLOCKERS: &[&str] = &[
    "适应", "顺应", "响应", "效应", "供应", "相应", "对应", "新增", "中南部",
    "西南部", "东南部", "罗浮山",
];

/// Everyday words that end a county name of three characters: `房山区` is one character
/// before 山区, and `其中山区` holds no 中山区.
const COMMON_WORD_TAILS: &[&str] =
    &["城市", "城区", "山区", "市区", "林区", "军区", "边区", "全县", "都市"];

/// Characters that may stand right before a weak name: `2025年忠县`, `中共忠县委`, `关于忠县`.
const BOUNDARY_BEFORE: &[char] =
    &['年', '共', '于', '在', '对', '和', '与', '及', '同', '至', '到'];

/// Strips the ethnic groups at the end of `base`; when nothing would be left, keeps the
/// last group without `族` (`鄂温克族` → `鄂温克`, for `鄂温克旗`).
fn strip_ethnic(base: &str) -> &str {
    let mut s = base;
    loop {
        let Some(rest) = ETHNIC_GROUPS.iter().find_map(|e| s.strip_suffix(e)) else {
            return s;
        };
        if rest.chars().count() < 2 {
            let bare = s.strip_suffix('族').unwrap_or(s);
            return if bare.chars().count() >= 2 { bare } else { s };
        }
        s = rest;
    }
}

/// The name without its suffix: `遵义市` → `遵义`, `宁夏回族自治区` → `宁夏`,
/// `鄂温克族自治旗` → `鄂温克`. `None` when nothing of two characters or more would be left.
fn short_name(name: &str) -> Option<&str> {
    const SUFFIXES: &[&str] = &[
        "特别行政区",
        "自治区",
        "自治州",
        "自治县",
        "自治旗",
        "地区",
        "省",
        "市",
        "县",
        "区",
        "旗",
        "盟",
    ];
    let (base, autonomous) =
        SUFFIXES.iter().find_map(|s| name.strip_suffix(s).map(|b| (b, s.starts_with('自'))))?;
    let base = if autonomous { strip_ethnic(base) } else { base };
    (base.chars().count() >= 2).then_some(base)
}

/// The usual shorter forms of an autonomous prefecture, county or banner:
/// `黔南布依族苗族自治州` → `黔南州`, `酉阳土家族苗族自治县` → `酉阳县`, `酉阳自治县`.
fn aliases(name: &str) -> Vec<String> {
    let Some(short) = short_name(name) else { return Vec::new() };
    if name.ends_with("自治州") {
        vec![format!("{short}州")]
    } else if name.ends_with("自治县") {
        vec![format!("{short}县"), format!("{short}自治县")]
    } else if name.ends_with("自治旗") {
        vec![format!("{short}旗"), format!("{short}自治旗")]
    } else {
        Vec::new()
    }
}

fn level_of(code: &str) -> Level {
    if code.ends_with("0000") {
        Level::Province
    } else if code.ends_with("00") {
        Level::Prefecture
    } else {
        Level::County
    }
}

fn build() -> Gazetteer {
    let rows: Vec<(&'static str, &'static str, &'static str)> = DATA
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut f = l.split('\t');
            let mut next = || f.next().expect("regions.tsv has three columns on every line");
            (next(), next(), next())
        })
        .collect();
    let by_code: HashMap<&'static str, u32> =
        rows.iter().enumerate().map(|(i, r)| (r.0, i as u32)).collect();
    let regions: Vec<Entry> = rows
        .iter()
        .map(|&(code, name, parent)| Entry {
            code,
            name,
            level: level_of(code),
            parent: (!parent.is_empty())
                .then(|| *by_code.get(parent).expect("regions.tsv: every parent code is a row")),
        })
        .collect();

    // Full names first, so that an alias equal to a real name is dropped.
    let mut full: HashMap<String, Vec<u32>> = HashMap::new();
    for (i, e) in regions.iter().enumerate() {
        full.entry(e.name.to_owned()).or_default().push(i as u32);
    }
    let mut alias: HashMap<String, Vec<u32>> = HashMap::new();
    let mut short: HashMap<String, Vec<u32>> = HashMap::new();
    for (i, e) in regions.iter().enumerate() {
        for a in aliases(e.name) {
            if !full.contains_key(&a) {
                alias.entry(a).or_default().push(i as u32);
            }
        }
        if e.level != Level::County
            && let Some(s) = short_name(e.name)
        {
            short.entry(s.to_owned()).or_default().push(i as u32);
        }
    }

    let mut names = Vec::new();
    for (text, regions_of) in full.into_iter().chain(alias) {
        let strength = if GENERIC_NAMES.contains(&text.as_str()) {
            Strength::Generic
        } else {
            let base = short_name(&text);
            let county = regions_of.iter().all(|&i| regions[i as usize].level == Level::County);
            let weak = match base {
                None => true,
                Some(b) => {
                    COMMON_WORD_BASES.contains(&b)
                        || (county && short.contains_key(b))
                        || (county
                            && text.chars().count() == 3
                            && COMMON_WORD_TAILS.iter().any(|t| text.ends_with(t)))
                }
            };
            if weak { Strength::Weak } else { Strength::Normal }
        };
        names.push(Name { text, kind: NameKind::Full, strength, regions: regions_of });
    }
    for (text, regions_of) in short {
        names.push(Name {
            text,
            kind: NameKind::Short,
            strength: Strength::Normal,
            regions: regions_of,
        });
    }
    for text in BLOCKERS {
        let text = (*text).to_owned();
        names.push(Name {
            text,
            kind: NameKind::Blocker,
            strength: Strength::Normal,
            regions: Vec::new(),
        });
    }
    // A stable order makes the index, and so every result, independent of hashing.
    names.sort_by(|a, b| b.text.len().cmp(&a.text.len()).then_with(|| a.text.cmp(&b.text)));

    let mut by_first: HashMap<char, Vec<u32>> = HashMap::new();
    for (i, n) in names.iter().enumerate() {
        let first = n.text.chars().next().expect("no region name is empty");
        by_first.entry(first).or_default().push(i as u32);
    }
    let max_len = names.iter().map(|n| n.text.len()).max().unwrap_or(0);
    Gazetteer { regions, by_code, names, by_first, max_len }
}

/// One occurrence of a name in the text.
#[derive(Debug, Clone, Copy)]
struct Hit {
    start: usize,
    end: usize,
    name: u32,
}

/// An accepted occurrence of a name with its suffix.
#[derive(Debug)]
struct Mention {
    start: usize,
    end: usize,
    name: u32,
    /// The regions the name may stand for, narrowed by a parent right before it.
    candidates: Vec<u32>,
    /// The one region it stands for, when that could be told.
    resolved: Option<u32>,
}

/// What a run of names such as `遵义市播州区` stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Subject {
    Region(u32),
    /// A name shared by several regions, by its index in `names`.
    Unresolved(u32),
}

/// The weight of the first run of names over any other: the title names its region first.
const FIRST_WEIGHT: usize = 3;

struct Scan<'t> {
    g: &'static Gazetteer,
    text: &'t str,
    /// Short names of provinces and prefectures, everywhere they occur.
    shorts: Vec<Hit>,
    /// Blockers, everywhere they occur.
    blockers: Vec<Hit>,
    mentions: Vec<Mention>,
}

impl<'t> Scan<'t> {
    fn new(g: &'static Gazetteer, text: &'t str) -> Scan<'t> {
        let mut full = Vec::new();
        let mut shorts = Vec::new();
        let mut blockers = Vec::new();
        for (start, c) in text.char_indices() {
            let Some(list) = g.by_first.get(&c) else { continue };
            for &n in list {
                let name = &g.names[n as usize];
                if text[start..].starts_with(name.text.as_str()) {
                    let hit = Hit { start, end: start + name.text.len(), name: n };
                    match name.kind {
                        NameKind::Full => full.push(hit),
                        NameKind::Short => shorts.push(hit),
                        NameKind::Blocker => blockers.push(hit),
                    }
                }
            }
        }
        let mut scan = Scan { g, text, shorts, blockers, mentions: Vec::new() };
        scan.select(&full);
        scan.resolve();
        scan
    }

    /// Picks the names with suffix left to right, longest first, dropping those that are
    /// part of another word.
    fn select(&mut self, full: &[Hit]) {
        let mut cursor = 0;
        for hit in full {
            if hit.start < cursor || self.straddles(hit, full) {
                continue;
            }
            let name = &self.g.names[hit.name as usize];
            let next = self.text[hit.end..].chars().next();
            if name.text.ends_with('区') && matches!(next, Some('域' | '块')) {
                continue; // 区域, 区块链.
            }
            if name.text.ends_with('市') && next == Some('场') {
                continue; // 市场.
            }
            let parents = self.adjacent_before(hit.start);
            let after_parent: Vec<u32> = name
                .regions
                .iter()
                .copied()
                .filter(|&c| parents.iter().any(|&p| self.g.is_ancestor(p, c)))
                .collect();
            let accept = match name.strength {
                Strength::Normal => true,
                Strength::Generic => !after_parent.is_empty(),
                Strength::Weak => {
                    !after_parent.is_empty()
                        || (self.at_boundary(hit.start)
                            && !matches!(next, Some('域' | '级' | '乡')))
                }
            };
            if !accept {
                continue;
            }
            let candidates =
                if after_parent.is_empty() { name.regions.clone() } else { after_parent };
            self.mentions.push(Mention {
                start: hit.start,
                end: hit.end,
                name: hit.name,
                candidates,
                resolved: None,
            });
            cursor = hit.end;
        }
    }

    /// Whether another name or a blocker begins before `hit` and ends inside it: `东城区` in
    /// `山东城区`, `应城市` in `适应城市`.
    fn straddles(&self, hit: &Hit, full: &[Hit]) -> bool {
        let from = hit.start.saturating_sub(self.g.max_len);
        starting_in(full, from, hit.start)
            .iter()
            .chain(starting_in(&self.shorts, from, hit.start))
            .chain(starting_in(&self.blockers, from, hit.start))
            .any(|h| h.end > hit.start && h.end <= hit.end)
    }

    /// The regions named right before `at`, whitespace between allowed: the accepted name
    /// ending there and any short name ending there (`遵义` in `遵义播州区`).
    fn adjacent_before(&self, at: usize) -> Vec<u32> {
        let from = self.text[..at].trim_end().len();
        let ends_here = |end: usize| end >= from && end <= at;
        let mut out = Vec::new();
        if let Some(m) = self.mentions.last().filter(|m| ends_here(m.end)) {
            out.extend(&m.candidates);
        }
        let shorts = starting_in(&self.shorts, from.saturating_sub(self.g.max_len), at);
        for h in shorts.iter().filter(|h| ends_here(h.end)) {
            out.extend(&self.g.names[h.name as usize].regions);
        }
        out
    }

    /// Whether a weak name at `at` starts a word: the text starts there, or a non-Han
    /// character or a function character such as `年` stands before it.
    fn at_boundary(&self, at: usize) -> bool {
        match self.text[..at].chars().next_back() {
            None => true,
            Some(c) => !is_han(c) || BOUNDARY_BEFORE.contains(&c),
        }
    }

    /// Tells which region each mention stands for: the only candidate, or the one whose
    /// parent or grandparent the text names most (directly or through another region).
    fn resolve(&mut self) {
        let g = self.g;
        let mut context: HashMap<u32, usize> = HashMap::new();
        for m in self.mentions.iter().filter(|m| m.candidates.len() == 1) {
            let mut up = Some(m.candidates[0]);
            while let Some(r) = up {
                *context.entry(r).or_default() += 1;
                up = g.parent(r);
            }
        }
        for h in &self.shorts {
            for &r in &g.names[h.name as usize].regions {
                *context.entry(r).or_default() += 1;
            }
        }
        for m in &mut self.mentions {
            m.resolved = match m.candidates[..] {
                [only] => Some(only),
                _ => {
                    let score = |c: u32| {
                        let mut total = 0;
                        let mut up = g.parent(c);
                        while let Some(p) = up {
                            total += context.get(&p).copied().unwrap_or(0);
                            up = g.parent(p);
                        }
                        total
                    };
                    let scored: Vec<(usize, u32)> =
                        m.candidates.iter().map(|&c| (score(c), c)).collect();
                    let best = scored.iter().map(|s| s.0).max().unwrap_or(0);
                    let mut winners = scored.iter().filter(|s| s.0 == best);
                    match (winners.next(), winners.next()) {
                        (Some(&(s, c)), None) if s > 0 => Some(c),
                        _ => None,
                    }
                }
            };
        }
    }

    /// The subject the text speaks for: each run of names counts once for its most
    /// specific region, the first run counts `FIRST_WEIGHT` times; ties go to the earlier.
    /// A region named more often than the first one but above it (the city a county report
    /// thanks for its leadership) does not win over it.
    fn speaker(&self) -> Option<Subject> {
        let mut scores: Vec<(Subject, usize)> = Vec::new();
        let mut i = 0;
        while i < self.mentions.len() {
            // Follow the run `贵州省遵义市播州区` to its end.
            let mut j = i;
            while j + 1 < self.mentions.len()
                && self.qualifies(&self.mentions[j], &self.mentions[j + 1])
            {
                j += 1;
            }
            let last = &self.mentions[j];
            let subject = match last.resolved {
                Some(r) => Subject::Region(r),
                None => Subject::Unresolved(last.name),
            };
            let weight = if i == 0 { FIRST_WEIGHT } else { 1 };
            match scores.iter_mut().find(|s| s.0 == subject) {
                Some(s) => s.1 += weight,
                None => scores.push((subject, weight)),
            }
            i = j + 1;
        }
        let best = scores.iter().map(|s| s.1).max()?;
        let winner = scores.iter().find(|s| s.1 == best).map(|s| s.0)?;
        let first = scores[0].0;
        match (winner, first) {
            (Subject::Region(w), Subject::Region(f)) if self.g.is_ancestor(w, f) => Some(first),
            _ => Some(winner),
        }
    }

    /// Whether `a` only says where `b` lies: `b` follows right after `a` and lies in it.
    fn qualifies(&self, a: &Mention, b: &Mention) -> bool {
        let Some(parent) = a.resolved else { return false };
        self.text[a.end..b.start].trim().is_empty()
            && b.candidates.iter().any(|&c| self.g.is_ancestor(parent, c))
    }

    /// A province or prefecture whose short name opens the first line, as in `遵义：…` or
    /// `山东“十四五”…`, after an optional year; for titles without any full name.
    fn title_short_name(&self) -> Option<u32> {
        let rest = self.text.trim_start();
        let line_start = self.text.len() - rest.len();
        let line = rest.lines().next()?;
        let after_year = line
            .find('年')
            .filter(|&y| line[..y].chars().all(|c| c.is_ascii_digit()) && y > 0)
            .map_or(0, |y| y + '年'.len_utf8());
        let at = line_start + after_year;
        let hits: Vec<&Hit> = self.shorts.iter().filter(|h| h.start == at).collect();
        let longest = hits.iter().map(|h| h.end).max()?;
        let mut regions = hits
            .iter()
            .filter(|h| h.end == longest)
            .flat_map(|h| &self.g.names[h.name as usize].regions);
        match (regions.next(), regions.next()) {
            (Some(&r), None) => Some(r),
            _ => None,
        }
    }
}

/// The hits starting in `from..to`, from hits ordered by start.
fn starting_in(hits: &[Hit], from: usize, to: usize) -> &[Hit] {
    let lo = hits.partition_point(|h| h.start < from);
    let hi = hits.partition_point(|h| h.start < to);
    &hits[lo..hi.max(lo)]
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{20000}'..='\u{2ffff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks the region `find_in_text` gives for `input`: a six-digit code, or `None`.
    #[track_caller]
    fn check(input: &str, expected: Option<&str>) {
        let found = find_in_text(input);
        assert_eq!(found.as_ref().map(|r| r.code.as_str()), expected, "input: {input}");
        if let Some(r) = found {
            let region = by_code(&r.code).expect("a found region is in the gazetteer");
            assert_eq!((r.name.as_str(), r.level), (region.name(), region.level()));
        }
    }

    /// Checks the spans and codes `mentions` gives for `input`, as `(text, code)` pairs.
    #[track_caller]
    fn check_mentions(input: &str, expected: &[(&str, &str)]) {
        let found: Vec<(&str, String)> =
            mentions(input).into_iter().map(|(s, e, r)| (&input[s..e], r.code)).collect();
        let found: Vec<(&str, &str)> = found.iter().map(|(t, c)| (*t, c.as_str())).collect();
        assert_eq!(found, expected, "input: {input}");
    }

    #[test]
    fn counts_per_level() {
        let count = |level| all().filter(|r| r.level() == level).count();
        assert_eq!(count(Level::Province), 34);
        assert_eq!(count(Level::Prefecture), 333);
        assert_eq!(count(Level::County), 2850);
    }

    #[test]
    fn by_code_and_full_name() {
        let r = by_code("520304").expect("播州区");
        assert_eq!((r.name(), r.level()), ("播州区", Level::County));
        assert_eq!(r.parent().map(|p| p.code()), Some("520300"));
        assert_eq!(r.full_name(), "贵州省遵义市播州区");
        assert_eq!(by_code("520300").map(|r| r.full_name()).as_deref(), Some("贵州省遵义市"));
        assert_eq!(by_code("640000").map(|r| r.full_name()).as_deref(), Some("宁夏回族自治区"));
        assert_eq!(by_code("999999"), None);
        assert_eq!(by_code("5203"), None);
    }

    #[test]
    fn municipality_districts_hang_from_the_municipality() {
        let r = by_code("110105").expect("朝阳区");
        assert_eq!(r.parent().map(|p| p.code()), Some("110000"));
        assert_eq!(r.full_name(), "北京市朝阳区");
        assert_eq!(by_code("500233").map(|r| r.full_name()).as_deref(), Some("重庆市忠县"));
        // County-level cities directly under a province hang from the province.
        assert_eq!(by_code("419001").map(|r| r.full_name()).as_deref(), Some("河南省济源市"));
    }

    #[test]
    fn placeholders_are_not_regions() {
        for name in ["市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"]
        {
            assert!(all().all(|r| r.name() != name), "{name} is in the gazetteer");
        }
        check("市辖区政府工作报告", None);
        check_mentions("北京市市辖区", &[("北京市", "110000")]);
        // Development zones have statistical codes only.
        assert_eq!(by_code("130171"), None);
    }

    #[test]
    fn every_full_name_finds_its_region() {
        for r in all() {
            let full = r.full_name();
            let found = find_in_text(&full);
            assert_eq!(found.map(|f| f.code), Some(r.code().to_owned()), "{full}");
        }
    }

    #[test]
    fn real_titles() {
        check(
            "中共遵义市委关于制定遵义市国民经济和社会发展第十四个五年规划和二〇三五年远景目标的建议",
            Some("520300"),
        );
        check("2025年遵义市播州区政府工作报告", Some("520304"));
        check(
            "中共犍为县委关于制定犍为县国民经济和社会发展第十四个五年规划和二〇三五年远景目标的建议",
            Some("511123"),
        );
        check("2012年呼伦贝尔市海拉尔区政府工作报告", Some("150702"));
        check("山东省“十四五”教育事业发展规划", Some("370000"));
        check("青岛市人工智能产业创新发展行动计划（2024—2026年）", Some("370200"));
        check(
            "安徽省人民政府办公厅关于印发支持工业互联网发展若干政策和安徽省工业互联网创新发展行动计划(2021—2023年)的通知",
            Some("340000"),
        );
        check("2026年宁夏回族自治区政府工作报告", Some("640000"));
        check("云南省国民经济和社会发展第十个五年计划纲要", Some("530000"));
    }

    #[test]
    fn real_opening_lines() {
        // A web page header before the title, and the district alone in the next line.
        check(
            "注册 | 登录\n筛选地域\n一级目录\n报告年份\n\n2025年遵义市播州区政府工作报告\n\n\
             2025年1月11日在播州区第二届人民代表大会第四次会议上\n\n各位代表:\n\
             在市委市政府和区委的坚强领导下",
            Some("520304"),
        );
        // The district names its city later, as the one that leads it.
        check(
            "政 府 工 作 报 告\n\n----2013年2月28日在海拉尔区第十四届人民代表大会第二次会议上\n\n\
             海拉尔区人民政府区长　　杜联合\n\n各位代表：在呼伦贝尔市委、市政府的正确领导下",
            Some("150702"),
        );
        check(
            "中商情报网讯:2020年12月19日中国共产党遵义市第五届委员会第十次全体会议通过\
             《中共遵义市委关于制定遵义市国民经济和社会发展第十四个五年规划和二〇三五年远景目标的建议》",
            Some("520300"),
        );
        // A district report that names its city more often than itself.
        check(
            "2025年播州区政府工作报告\n在遵义市委、遵义市政府的坚强领导下，遵义市下达的目标\
             全面完成，遵义市考核位居前列，遵义市表彰",
            Some("520304"),
        );
        // A city plan that lists its districts still speaks for the city.
        check(
            "遵义市国民经济和社会发展第十四个五年规划纲要\n推动红花岗区、汇川区、播州区一体化发展",
            Some("520300"),
        );
    }

    #[test]
    fn repeated_names_need_a_parent() {
        check("北京市朝阳区", Some("110105"));
        check("长春市朝阳区", Some("220104"));
        check("2025年朝阳区政府工作报告", None);
        check("2025年城关区政府工作报告", None);
        check("兰州市城关区", Some("620102"));
        check("拉萨市城关区", Some("540102"));
        // A parent named elsewhere in the text, or a sibling, tells which one.
        check("2025年朝阳区政府工作报告\n在北京市委市政府的坚强领导下", Some("110105"));
        check("2025年通州区政府工作报告\n与海淀区、东城区协同发展", Some("110112"));
        check("2025年通州区政府工作报告\n在南通市委市政府的坚强领导下", Some("320612"));
        // A short name of the parent helps too, but does not name a region by itself.
        check("2025年和平区政府工作报告 天津", Some("120101"));
        check("2025年和平区政府工作报告 沈阳", Some("210102"));
        // Both parents named as often: no guess.
        check("2025年和平区政府工作报告 天津 沈阳", None);
    }

    #[test]
    fn a_full_name_beats_short_names() {
        check("遵义 遵义 遵义 犍为县政府工作报告", Some("511123"));
        check("山东 山东 青岛市工作报告", Some("370200"));
    }

    #[test]
    fn short_name_opening_a_title() {
        check("山东“十四五”规划", Some("370000"));
        check("遵义：2025年经济运行情况", Some("520300"));
        check("2025年遵义经济运行情况", Some("520300"));
        // Not at the start of the title: no region.
        check("新华社北京1月5日电", None);
        // 吉林 is a province and a city.
        check("吉林“十四五”规划", None);
    }

    #[test]
    fn autonomous_regions_prefectures_leagues_and_banners() {
        check("呼伦贝尔市", Some("150700"));
        check("2025年鄂温克族自治旗政府工作报告", Some("150724"));
        check("2025年鄂温克旗政府工作报告", Some("150724"));
        check("2025年鄂伦春自治旗政府工作报告", Some("150723"));
        check("黔南布依族苗族自治州国民经济和社会发展第十四个五年规划纲要", Some("522700"));
        check("黔南州“十四五”规划", Some("522700"));
        check("恩施州政府工作报告", Some("422800"));
        check("酉阳县政府工作报告", Some("500242"));
        check("锡林郭勒盟政府工作报告", Some("152500"));
        check("神农架林区政府工作报告", Some("429021"));
        check("内蒙古自治区政府工作报告", Some("150000"));
        // 海南州 is a prefecture of 青海, 海南省 a province.
        check("海南州政府工作报告", Some("632500"));
        check("海南省政府工作报告", Some("460000"));
    }

    #[test]
    fn generic_names_only_after_their_parent() {
        check("阳泉市城区", Some("140302"));
        check("攀枝花市东区", Some("510402"));
        check_mentions("推进中心城区和郊区建设，完善老城区功能", &[]);
        check_mentions("阳泉市城区、郊区", &[("阳泉市", "140300"), ("城区", "140302")]);
    }

    #[test]
    fn names_inside_other_words() {
        check_mentions("广东城市群", &[]);
        check_mentions("山东城区建设", &[]);
        check_mentions("贡献县域经济，振兴县域，创新县域，建成县级", &[]);
        check_mentions("江北区域协同", &[]);
        check_mentions("河南县域经济", &[]);
        check_mentions("大同市场", &[]);
        check_mentions("2025年忠县政府工作报告", &[("忠县", "500233")]);
        check_mentions("沧州市献县", &[("沧州市", "130900"), ("献县", "130929")]);
        check_mentions("中共新县县委", &[("新县", "411523")]);
        check_mentions("主动适应城市发展，顺应城市发展规律", &[]);
        check_mentions("全年新增城区绿地", &[]);
        check_mentions("支持中南部县城发展", &[]);
        check_mentions("昆山—罗浮山县镇村", &[]);
        check_mentions("推进棚改区、平房区改造", &[]);
        check_mentions("“二次创业”和县乡村振兴", &[]);
        check_mentions("2025年应城市政府工作报告", &[("应城市", "420981")]);
        check_mentions("其中山区人口", &[]);
        check_mentions("大连市中山区", &[("大连市", "210200"), ("中山区", "210202")]);
        check_mentions(
            "北京市房山区、门头沟区",
            &[("北京市", "110000"), ("房山区", "110111"), ("门头沟区", "110109")],
        );
        check_mentions("广州市增城区", &[("广州市", "440100"), ("增城区", "440118")]);
    }

    #[test]
    fn odd_input_finds_nothing_and_does_not_panic() {
        check("", None);
        check("   \n\n", None);
        check("Annual report 2025", None);
        check("省市县区旗州盟", None);
        let text = "注册|登录\n2025年遵义市播州区政府工作报告🙂（遵义）北京市朝阳区、城区";
        for (i, _) in text.char_indices() {
            let _ = find_in_text(&text[i..]);
            let _ = find_in_text(&text[..i]);
            for (s, e, _) in mentions(&text[i..]) {
                assert!(s < e && text[i..].is_char_boundary(s) && text[i..].is_char_boundary(e));
            }
        }
    }

    #[test]
    fn mentions_report_byte_spans() {
        let text = "2025年遵义市播州区，对标北京市朝阳区和海淀区";
        check_mentions(
            text,
            &[
                ("遵义市", "520300"),
                ("播州区", "520304"),
                ("北京市", "110000"),
                ("朝阳区", "110105"),
                ("海淀区", "110108"),
            ],
        );
        let (start, end, _) = mentions(text)[0];
        assert_eq!((start, end), ("2025年".len(), "2025年遵义市".len()));
        check_mentions("朝阳区和新华区", &[]);
    }
}
