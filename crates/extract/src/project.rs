//! Named projects (项目): `观音大型水库`, `万顺煤矿45万吨/年`, `年产30万吨基均质料项目`.
//!
//! A name ends in a project noun (水库, 公路, 铁路, 电厂, 煤矿, 产业园, 医院, 项目, 工程 …) and
//! begins after the verb or the list separator before it (`加快推进观音大型水库建设`). Items
//! of a list closed by `等…项目` are projects too, whatever they end in (`安创公园里、三江风电场等
//! 200个项目`). A name made only of generic words (重点项目, 民生工程, 这些项目) or a count
//! (`新开工项目142个`, which stays a fact) is no project, nor is a kind of work with no proper
//! name before it (改扩建中小学, 棚户区改造工程). A phase or the supporting works of a project
//! (`青石水库灌区配套`, `白鹭水库二期`) are a project of their own, named by both. A facility's
//! name (医院, 水库, 电厂 …) ends a project only before a verb of works or of state: one that
//! runs on (`卫生院医疗次中心`) or does no works (`医院成功创建三甲`) is none. The stage
//! comes from the verb of the clause (开工建设 → started), the year as a fact's year does.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use crate::fact::{Context, Text, in_glossary, year_at};
use crate::model::{Project, ProjectCategory, Stage};
use crate::outline::section_at;

/// The longest name taken: longer stretches without a verb are prose, not names.
const MAX_NAME: usize = 32;
/// The stem before a project noun must be at least this long (`观音`, `万顺`).
const MIN_STEM: usize = 2;
/// Sentences are searched for a stage or an investment this far at most.
const MAX_SENTENCE: usize = 400;

/// Project nouns, longest first where one ends another, with their category. A `weak` noun
/// is also an ordinary word (`高速发展`, `光伏发电`): it ends a name only when no other word
/// runs on after it.
const NOUNS: &[(&str, ProjectCategory, bool)] = &[
    ("水库", ProjectCategory::Reservoir, false),
    ("水利枢纽", ProjectCategory::Reservoir, false),
    // The irrigation district of a reservoir is a project of its own (`青石水库灌区`).
    ("灌区", ProjectCategory::Reservoir, false),
    ("高速公路", ProjectCategory::Road, false),
    ("快速路", ProjectCategory::Road, false),
    ("公路", ProjectCategory::Road, true),
    ("高速", ProjectCategory::Road, true),
    ("大道", ProjectCategory::Road, true),
    ("大桥", ProjectCategory::Road, false),
    ("大街", ProjectCategory::Road, false),
    ("隧道", ProjectCategory::Road, false),
    ("铁路", ProjectCategory::Rail, true),
    ("专用线", ProjectCategory::Rail, false),
    ("城际", ProjectCategory::Rail, true),
    ("机场", ProjectCategory::Airport, true),
    ("水电站", ProjectCategory::Power, false),
    ("变电站", ProjectCategory::Power, false),
    ("电站", ProjectCategory::Power, false),
    ("热电厂", ProjectCategory::Power, false),
    ("电厂", ProjectCategory::Power, false),
    ("热电", ProjectCategory::Power, true),
    ("风电场", ProjectCategory::Power, false),
    ("风电", ProjectCategory::Power, true),
    ("光伏", ProjectCategory::Power, true),
    ("煤矿", ProjectCategory::Mine, false),
    ("露天矿", ProjectCategory::Mine, false),
    ("矿业", ProjectCategory::Mine, true),
    ("产业园", ProjectCategory::Park, false),
    ("工业园", ProjectCategory::Park, false),
    ("物流园", ProjectCategory::Park, false),
    ("园区", ProjectCategory::Park, true),
    ("学校", ProjectCategory::School, false),
    ("小学", ProjectCategory::School, false),
    ("中学", ProjectCategory::School, false),
    ("幼儿园", ProjectCategory::School, false),
    // Buildings of a school or a hospital: a project of their own (`南湖中学教学楼`).
    ("分校", ProjectCategory::School, false),
    ("教学楼", ProjectCategory::School, false),
    ("门诊楼", ProjectCategory::Hospital, false),
    ("住院楼", ProjectCategory::Hospital, false),
    ("综合楼", ProjectCategory::Other, false),
    ("医院", ProjectCategory::Hospital, false),
    ("卫生院", ProjectCategory::Hospital, false),
    ("院区", ProjectCategory::Hospital, false),
    ("生产线", ProjectCategory::Plant, false),
    ("厂房", ProjectCategory::Plant, false),
    ("污水处理厂", ProjectCategory::Water, false),
    ("水厂", ProjectCategory::Water, false),
    // Commercial and tourist facilities named by their owner or place (`银泰购物广场`,
    // `云港国际酒店`, `白鹿山旅游景区`).
    ("广场", ProjectCategory::Other, false),
    ("酒店", ProjectCategory::Other, false),
    ("商城", ProjectCategory::Other, false),
    ("综合体", ProjectCategory::Other, false),
    ("景区", ProjectCategory::Other, false),
    ("客运站", ProjectCategory::Road, false),
    // Centres that are buildings (`云计算数据中心`, `冰上运动训练中心`); a bare 中心 is more
    // often a designation (`国际科技创新中心`, `区域经济中心`, `以…为中心`) than a project.
    ("数据中心", ProjectCategory::Other, true),
    ("活动中心", ProjectCategory::Other, true),
    ("训练中心", ProjectCategory::Other, true),
    ("培训中心", ProjectCategory::Other, true),
    ("会展中心", ProjectCategory::Other, true),
    ("会议中心", ProjectCategory::Other, true),
    ("体育中心", ProjectCategory::Other, true),
    ("急救中心", ProjectCategory::Hospital, true),
    ("分拣中心", ProjectCategory::Other, true),
    ("项目", ProjectCategory::Other, false),
    ("工程", ProjectCategory::Other, false),
];

/// The characters that end one of [`NOUNS`] (a test checks it).
const NOUN_ENDS: [char; 29] = [
    '库', '纽', '路', '速', '道', '桥', '线', '际', '场', '站', '厂', '电', '伏', '矿', '业', '园',
    '区', '校', '学', '院', '房', '目', '程', '楼', '店', '体', '城', '街', '心',
];

/// What breaks a stretch of a name: punctuation, quotes, brackets, spaces.
const BREAKS: [char; 25] = [
    '，', ',', '、', '；', ';', '。', '：', ':', '！', '？', '\n', '\r', '\0', '“', '”', '"', '《',
    '》', '（', '）', '(', ')', '\t', ' ', '\u{3000}',
];

/// A character's class for the pass over every character: most characters are of none, and
/// one table lookup tells so.
const NOUN_END: u8 = 1;
const BREAK: u8 = 2;
const DENG: u8 = 4;

/// [`NOUN_END`], [`BREAK`] and [`DENG`] (等) for every character of the Basic Multilingual
/// Plane, built at compile time; no character beyond it is of any class.
static CLASSES: [u8; 0x10000] = classes();

const fn classes() -> [u8; 0x10000] {
    let mut table = [0u8; 0x10000];
    let mut k = 0;
    while k < NOUN_ENDS.len() {
        table[NOUN_ENDS[k] as usize] |= NOUN_END;
        k += 1;
    }
    let mut k = 0;
    while k < BREAKS.len() {
        table[BREAKS[k] as usize] |= BREAK;
        k += 1;
    }
    table['等' as usize] |= DENG;
    table
}

fn class(c: char) -> u8 {
    CLASSES.get(c as usize).copied().unwrap_or(0)
}

/// Whether `c` ends one of [`NOUNS`].
fn ends_a_noun(c: char) -> bool {
    class(c) & NOUN_END != 0
}

/// Whether `c` ends a facility's name: a project noun or a word for a building or a place
/// (`建材城`, `体育馆`, `金街`, `数据中心`).
fn ends_a_facility(c: char) -> bool {
    matches!(
        c,
        '库' | '纽'
            | '路'
            | '桥'
            | '场'
            | '站'
            | '厂'
            | '矿'
            | '园'
            | '区'
            | '校'
            | '学'
            | '院'
            | '房'
            | '目'
            | '程'
            | '城'
            | '馆'
            | '店'
            | '楼'
            | '街'
            | '心'
            | '厦'
            | '港'
            | '苑'
            | '镇'
            | '村'
    )
}

/// Whether `c` begins one of [`STAGES`] (a test checks it): a match, because the stage of
/// a project is looked for at every character of its sentence.
fn starts_a_stage(c: char) -> bool {
    matches!(
        c,
        '开' | '前'
            | '交'
            | '下'
            | '谋'
            | '储'
            | '申'
            | '签'
            | '争'
            | '新'
            | '动'
            | '启'
            | '落'
            | '建'
            | '竣'
            | '投'
            | '通'
            | '完'
            | '并'
            | '在'
            | '续'
            | '加'
            | '推'
            | '实'
            | '正'
            | '核'
            | '立'
            | '营'
    )
}

/// What may follow a weak noun that ends a name: a stage verb or a word closing a list.
const AFTER_WEAK: &[char] = &[
    '建', '开', '投', '竣', '通', '完', '并', '加', '等', '和', '及', '与', '项', '工', '前', '即',
    '正', '全', '顺', '有', '基', '一', '改', '扩', '续', '实', '启', '落', '获',
];

/// What else may follow the name of a facility: a verb of works on it (`提质改造`,
/// `除险加固`, `整体搬迁`, `征地拆迁`) or of its state (`主体完工`, `已建成`, `下闸蓄水`,
/// `交付使用`, `验收`). Other words run on into
/// a longer name (`卫生院医疗次中心`, `水库水源保护区`) or say something of a facility that
/// is no project (`医院成功创建三甲`, `电厂满负荷运转`).
const AFTER_FACILITY: &[char] = &[
    '按', '主', '于', '在', '将', '已', '的', '提', '除', '新', '迁', '运', '升', '维', '整', '封',
    '达', '试', '配', '为', '区', '累', '选', '现', '要', '筹', '申', '争', '谋', '储', '纳', '列',
    '力', '还', '年', '进', '下', '蓄', '验', '交', '征',
];

/// Words a name never begins with: verbs, adverbs and function words before it. The name
/// starts after the last one that leaves a stem of [`MIN_STEM`] characters.
const BEFORE_NAME: &[&str] = &[
    "推进",
    "推动",
    "加快",
    "实施",
    "启动",
    "建成",
    "完成",
    "开工",
    "建设",
    "开展",
    "争取",
    "谋划",
    "储备",
    "确保",
    "力争",
    "保障",
    "围绕",
    "依托",
    "打造",
    "落地",
    "引进",
    "招引",
    "申建",
    "新建",
    "改建",
    "扩建",
    "续建",
    "在建",
    "投产",
    "投用",
    "竣工",
    "通车",
    "动工",
    "做好",
    "抓好",
    "抓实",
    "加强",
    "配合",
    "落实",
    "促进",
    "支持",
    "聚焦",
    "全力",
    "加速",
    "加紧",
    "稳步",
    "有序",
    "积极",
    "重点",
    "着力",
    "大力",
    "协调",
    "规划",
    "筹建",
    "开通",
    "签约",
    "引入",
    "包括",
    "其中",
    "以及",
    "提升",
    "改进",
    "缓解",
    "鼓励",
    "加大",
    "构建",
    "增强",
    "深化",
    "提高",
    "调整",
    "优化",
    "制定",
    "出台",
    "建立",
    "组建",
    "抓好",
    "改善",
    "发展",
    "规范",
    "形成",
    "壮大",
    "持续",
    "扎实",
    "新增",
    "从",
    "实现",
    "维修",
    "力促",
    "盘活",
    "处置",
    "健全",
    "完善",
    "按照",
    "抓",
    "如",
    "和",
    "与",
    "及",
    "的",
    "在",
    "是",
    "为",
    "把",
    "将",
    "对",
    "了",
    "以",
    "让",
    "使",
    "由",
    // A title won is no works (`成功创建国家5A级旅游景区`).
    "创建",
    "争创",
    "入选",
    "申报",
    "成功",
    "整合",
    "培育",
    "利用",
    "监督",
    "打破",
    "联系",
    "扩大",
    "进一步",
];

/// Words that name no particular project: a stem made only of these is generic.
const GENERIC: &[&str] = &[
    "急诊",
    "重点",
    "重大",
    "民生",
    "产业",
    "工业",
    "农业",
    "服务业",
    "基础设施",
    "招商引资",
    "招商",
    "在建",
    "新建",
    "续建",
    "拟建",
    "新开工",
    "开工",
    "储备",
    "谋划",
    "备选",
    "前期",
    "省级",
    "市级",
    "县级",
    "区级",
    "国家级",
    "国家",
    "政府投资",
    "社会投资",
    "民间投资",
    "投资",
    "示范",
    "试点",
    "融合",
    "标杆",
    "帮扶",
    "扶贫",
    "衔接",
    "乡村振兴",
    "水利",
    "交通",
    "能源",
    "通信",
    "电力",
    "市政",
    "城建",
    "城市更新",
    "文旅",
    "旅游",
    "教育",
    "卫生",
    "医疗",
    "社会事业",
    "公共服务",
    "生态",
    "环保",
    "补短板",
    "一批",
    "各类",
    "各项",
    "所有",
    "全部",
    "这些",
    "相关",
    "配套",
    "专项",
    "中央预算内",
    "专项债",
    "债券",
    "新基建",
    "惠民",
    "实事",
    "民心",
    "系统",
    "农村",
    "城乡",
    "城市",
    "乡村",
    "村级",
    "城区",
    "县域",
    "全市",
    "全区",
    "全县",
    "全省",
    "大型",
    "中小型",
    "小型",
    "中型",
    "病险",
    "骨干",
    "高标准",
    "标准化",
    "智慧",
    "数字",
    "新型",
    "传统",
    "绿色",
    "低碳",
    "外资",
    "内资",
    "亿元以上",
    "万元以上",
    "以上",
    "大",
    "中",
    "小",
    "好",
    "新",
    "老",
    "优质",
    "优势",
    "特色",
    "现代",
    "建设",
    "升级",
    "改造",
    "提升",
    "合作",
    "全国",
    "在谈",
    "拟招",
    "固定资产",
    "领域",
    "整县",
    "设施",
    "高品质",
    "商住",
    "公立",
    "养老服务",
    "协作",
    "招引",
    "引进",
    "签约",
    "落地",
    "入库",
    "储备库",
    "开发",
    // Kinds of work and of place that many projects share (`改扩建中小学`, `棚户区改造工程`,
    // `城乡供水工程`): with no proper name before them they name no one project.
    "改扩建",
    "城镇",
    "城中村",
    "棚户区",
    "老旧小区",
    "社会保障",
    "节能",
    "供水",
    "供热",
    "排水",
    "污水",
    "雨水",
    "燃气",
    "天然气",
    "管道",
    "管网",
    "防洪",
    "抗旱",
    "非公",
    "民营",
    // Grades and kinds of a tourist site, a hotel or a mall (`5A级旅游景区`, `五星级酒店`,
    // `商业综合体`).
    "5A级",
    "4A级",
    "3A级",
    "A级",
    "星级",
    "五星级",
    "旅游",
    "高端",
    "品牌",
    "知名",
    "精品",
    "商业",
    "商贸",
    "产权式",
    "田园",
    "活动",
    "游览",
    "周边",
    "首批",
    "零碳",
    // Kinds of school (`普惠性民办幼儿园`, `乡镇寄宿制学校`, `特殊教育学校`).
    "公办",
    "民办",
    "普惠性",
    "特殊教育",
    "义务教育",
    "阶段",
    "职业",
    "寄宿制",
    "薄弱",
    "专门",
    "普通",
    "高中",
    "初中",
    "乡镇",
    "中心",
    "体育",
    "部分",
    "海外",
    "国际",
    // Grades of a hospital or a school (`二级综合医院`, `三级甲等医院`): a standard, not one.
    "一级",
    "二级",
    "三级",
    "甲等",
    "乙等",
    "综合",
    // A phase with no name before it (`二期工程开工建设`) is the phase of a name said before.
    "一期",
    "二期",
    "三期",
    "四期",
    "五期",
    // Words that point back to names said before, or at the region's own.
    "上述",
    "前述",
    "我区",
    "我市",
    "我县",
    "我省",
    "现有",
    "存量",
    "区域",
    "规模化",
    "集中",
];

/// Units of a quantity of work (`144公里`, `3.5万平方米`): a stem that begins with one
/// measures work, it names none.
const QUANTITY_UNITS: &[&[char]] =
    &[&['公', '里'], &['千', '米'], &['平', '方', '米'], &['米'], &['亩'], &['户'], &['栋']];

/// Stage words and the stage they imply; longer words first where one holds another. A `weak`
/// word says a stage only when no other stage word stands in the same stretch of the sentence
/// (`长岭露天矿完成项目核准`: 核准, not 完成).
const STAGES: &[(&str, Stage, bool)] = &[
    ("开展前期", Stage::Preparation, false),
    ("核准", Stage::Preparation, false),
    ("立项", Stage::Preparation, false),
    ("前期工作", Stage::Preparation, false),
    ("前期", Stage::Preparation, false),
    ("谋划", Stage::Planned, false),
    ("储备", Stage::Planned, false),
    ("申建", Stage::Planned, false),
    ("签约", Stage::Planned, false),
    ("争取", Stage::Planned, false),
    ("新开工", Stage::Started, false),
    ("开工", Stage::Started, false),
    ("动工", Stage::Started, false),
    ("启动建设", Stage::Started, false),
    ("启动实施", Stage::Started, false),
    ("启动", Stage::Started, false),
    ("落地", Stage::Started, false),
    ("建成", Stage::Completed, false),
    ("竣工", Stage::Completed, false),
    ("投产", Stage::Completed, false),
    ("投用", Stage::Completed, false),
    ("投运", Stage::Completed, false),
    ("通车", Stage::Completed, false),
    ("通航", Stage::Completed, false),
    ("完工", Stage::Completed, false),
    ("并网", Stage::Completed, false),
    // A facility put to use is finished (`投入使用`, `正式运营`), and so is one the year's
    // work is to finish (`完成…三期工程`).
    ("投入使用", Stage::Completed, false),
    ("交付使用", Stage::Completed, false),
    ("投入运行", Stage::Completed, false),
    ("下闸蓄水", Stage::Completed, false),
    ("投入运营", Stage::Completed, false),
    ("正式运营", Stage::Completed, false),
    ("营业", Stage::Completed, false),
    ("开业", Stage::Completed, false),
    ("完成", Stage::Completed, true),
    ("在建", Stage::UnderConstruction, false),
    ("续建", Stage::UnderConstruction, false),
    ("加快建设", Stage::UnderConstruction, false),
    ("加快推进", Stage::UnderConstruction, false),
    // `加快…产业园建设`: the verb before the name, 建设 after it.
    ("加快", Stage::UnderConstruction, true),
    ("推进", Stage::UnderConstruction, false),
    ("推动", Stage::UnderConstruction, false),
    ("实施", Stage::UnderConstruction, false),
];

/// Units of a capacity (`45万吨/年`, `19.6万千瓦`, `3000吨/日`), longest first.
const CAPACITY_UNITS: &[&str] = &[
    "吨/年",
    "吨/日",
    "千瓦时",
    "千瓦",
    "兆瓦",
    "千伏",
    "吨",
    "套",
    "台",
    "辆",
    "件",
    "头",
    "张",
    "床",
    "标箱",
];

fn is_break(c: char) -> bool {
    class(c) & BREAK != 0
}

fn is_sentence_break(c: char) -> bool {
    matches!(c, '。' | '；' | ';' | '！' | '？' | '\n' | '\r' | '\0')
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// A map keyed by character with a one-multiplication hash: the pass looks characters up
/// at every position of a candidate's stretch, where SipHash cost more than the rest.
type CharMap<V> = HashMap<char, V, BuildHasherDefault<CharHash>>;

/// Fibonacci hashing of a character (`char` hashes as one `u32`).
#[derive(Default)]
struct CharHash(u64);

impl Hasher for CharHash {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Words as characters, keyed by their first or last character.
fn by_char(words: impl IntoIterator<Item = &'static str>, last: bool) -> CharMap<Vec<Vec<char>>> {
    let mut map: CharMap<Vec<Vec<char>>> = CharMap::default();
    for w in words {
        let chars: Vec<char> = w.chars().collect();
        let key = if last { chars.last() } else { chars.first() };
        if let Some(&c) = key {
            map.entry(c).or_default().push(chars);
        }
    }
    map
}

/// Whether `chars` begins with the characters of `w`.
fn starts_with_str(chars: &[char], w: &str) -> bool {
    let mut it = chars.iter();
    w.chars().all(|c| it.next() == Some(&c))
}

/// Whether the characters `w` end at char `end` of `t`.
fn ends_with(t: &Text, end: usize, w: &[char]) -> bool {
    // Compared from the end, inline: words are looked up by their last char, so the chars
    // before it decide, and most words differ there at once; a slice `==` calls memcmp.
    end <= t.chars.len()
        && end >= w.len()
        && t.chars[end - w.len()..end].iter().rev().zip(w.iter().rev()).all(|(a, b)| a == b)
}

/// Whether one of the words of `map` (keyed by last character) ends at char `end`.
fn any_ends_at(map: &CharMap<Vec<Vec<char>>>, t: &Text, end: usize) -> bool {
    map.get(&t.at(end.wrapping_sub(1))).is_some_and(|ws| ws.iter().any(|w| ends_with(t, end, w)))
}

/// The noun ending at `end` (exclusive, in chars), if any: the longest.
fn noun_ending(t: &Text, end: usize) -> Option<(usize, ProjectCategory, bool)> {
    let last = t.at(end.wrapping_sub(1));
    // Most characters end no noun; this test is the whole cost of most calls.
    if !ends_a_noun(last) {
        return None;
    }
    nouns_by_last()
        .get(&last)?
        .iter()
        .filter(|n| ends_with(t, end, &n.chars))
        .max_by_key(|n| n.chars.len())
        .map(|n| (n.chars.len(), n.category, n.weak))
}

/// One of [`NOUNS`] as characters.
struct Noun {
    chars: Vec<char>,
    category: ProjectCategory,
    weak: bool,
}

/// [`NOUNS`] by last character.
fn nouns_by_last() -> &'static CharMap<Vec<Noun>> {
    static MAP: OnceLock<CharMap<Vec<Noun>>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map: CharMap<Vec<Noun>> = CharMap::default();
        for &(w, category, weak) in NOUNS {
            let chars: Vec<char> = w.chars().collect();
            if let Some(&last) = chars.last() {
                map.entry(last).or_default().push(Noun { chars, category, weak });
            }
        }
        map
    })
}

/// Whether a stem names nothing in particular: made only of generic words, or a count or a
/// threshold (`3个`, `500万元以上`).
fn generic(stem: &[char]) -> bool {
    if stem.windows(2).any(|w| w == ['一', '批'])
        || stem.iter().any(|c| matches!(c, '等' | '个' | '这' | '各'))
    {
        return true;
    }
    if stem.ends_with(&['以', '上']) || stem.ends_with(&['以', '下']) {
        return true;
    }
    // A count: 5条铁路专用线, 3座水库.
    let digits = stem
        .iter()
        .take_while(|c| c.is_ascii_digit() || crate::numeral::chinese_digit(**c).is_some())
        .count();
    if digits > 0 && stem.get(digits).is_some_and(|c| "个条座家所处批项".contains(*c)) {
        return true;
    }
    // A quantity of work: 144公里电缆线路改造, 3.5万平方米老旧小区改造.
    let number = stem.iter().take_while(|c| c.is_ascii_digit() || **c == '.').count();
    if number > 0 {
        let rest = &stem[number..];
        let rest = rest.strip_prefix(&['万']).unwrap_or(rest);
        if QUANTITY_UNITS.iter().any(|u| rest.starts_with(u)) {
            return true;
        }
    }
    // A numbered slogan: 六大产业基地, 八大工程.
    if stem.windows(2).any(|w| w[1] == '大' && crate::numeral::chinese_digit(w[0]).is_some()) {
        return true;
    }
    // Generic words, verbs before a name (`建成风电场`), other project nouns inside a stem
    // (`水利工程`) and capacities (`700万吨露天矿` names a kind of mine by its size): a stem
    // that splits wholly into these names nothing in particular. Any split will do
    // (`工业园区供水保障` is 工业 园区 供水 保障, though 工业园 is a word too): `reach[k]` says
    // the first k characters split.
    let mut reach = [false; 2 * MAX_NAME + 2];
    if stem.len() >= reach.len() {
        return false;
    }
    reach[0] = true;
    for k in 0..stem.len() {
        if !reach[k] {
            continue;
        }
        let rest = &stem[k..];
        if rest[0].is_ascii_digit() {
            let n = rest.iter().take_while(|c| c.is_ascii_digit() || **c == '.').count();
            let m = n + rest[n..].iter().take_while(|c| matches!(c, '万' | '亿')).count();
            if let Some(u) = CAPACITY_UNITS.iter().find(|u| starts_with_str(&rest[m..], u)) {
                reach[k + m + u.chars().count()] = true;
            }
        }
        for w in strippers().get(&rest[0]).into_iter().flatten() {
            if rest.starts_with(w) {
                reach[k + w.len()] = true;
            }
        }
    }
    reach[stem.len()]
}

/// Words that end the stem of a programme rather than of a project (`文化惠民工程`,
/// `能力提升工程`, `关键技术攻关项目`): with 工程 or 项目 they name a kind of work.
const PROGRAMME: &[&str] = &[
    "提升",
    "扩容",
    "强基",
    "惠民",
    "培育",
    "修复",
    "保护",
    "攻关",
    "计划",
    "治理",
    "更新",
    "再造",
    "信用",
    "采购",
    "经营",
    "实现",
    "质量",
    "能力",
    "安全",
    "防护",
    "工作",
    "服务",
    "管理",
    "示范",
    "标志性",
    "精品",
    "高水平",
    "重大",
    "融合",
    "民生",
    "强链",
    "科技",
    "技术",
    "特许",
    "增量",
    "存量",
    "低效",
    "编撰",
    "研发",
    "发电",
    "养殖",
    "建筑",
    "环境",
    "创建",
    "攻坚",
    "人才",
    "非遗",
    "重点",
    "深化",
    "拓展",
    "支撑",
    "引领",
    "研究",
    "实践",
];

/// The words of [`PROGRAMME`] that end no item of a list of projects either: abstract work
/// (`课程深化、资源支撑、理论研究等育人工程`), where works on a place (`白河综合治理`) are
/// items of their own.
const ABSTRACT_WORK: &[&str] = &["深化", "拓展", "支撑", "引领", "研究", "实践"];

/// Whether a verb stands right before the noun (`推进项目`, `抓项目`): a project in general.
fn verb_before(t: &Text, noun_start: usize) -> bool {
    const VERBS: &[&str] = &[
        "推进", "推动", "加快", "实施", "抓", "建设", "谋划", "储备", "落实", "开工", "争取",
        "招引", "引进", "签约", "管理", "服务", "审批", "包装", "申报", "对接",
    ];
    static MAP: OnceLock<CharMap<Vec<Vec<char>>>> = OnceLock::new();
    any_ends_at(MAP.get_or_init(|| by_char(VERBS.iter().copied(), true)), t, noun_start)
}

/// Whether a word that governs what follows it ends right before the noun or one character
/// before it (`完成项目核准`, `确保区医院晋升`, `转型升级的大项目`): the noun is the object of a
/// clause, and a name may not run back over the word to the stretch's start.
fn governed(t: &Text, noun_start: usize, category: ProjectCategory) -> bool {
    const GOVERNING: &[&str] = &[
        "确保", "力争", "推进", "推动", "加快", "实施", "完成", "启动", "做好", "抓好", "加强",
        "支持", "落实", "统筹", "整合", "摆布", "纳入", "的",
    ];
    static MAP: OnceLock<CharMap<Vec<Vec<char>>>> = OnceLock::new();
    let map = MAP.get_or_init(|| by_char(GOVERNING.iter().copied(), true));
    any_ends_at(map, t, noun_start)
        || any_ends_at(map, t, noun_start.saturating_sub(1))
        // `融资和项目`: 项目 or 工程 joined to another noun has no stem of its own.
        || (category == ProjectCategory::Other
            && matches!(t.at(noun_start.wrapping_sub(1)), '和' | '及' | '与'))
}

/// Whether a word of [`PROGRAMME`] ends at char `noun_start`.
fn programme_before(t: &Text, noun_start: usize) -> bool {
    static MAP: OnceLock<CharMap<Vec<Vec<char>>>> = OnceLock::new();
    any_ends_at(MAP.get_or_init(|| by_char(PROGRAMME.iter().copied(), true)), t, noun_start)
}

/// The words [`generic`] splits a stem into, by first character.
fn strippers() -> &'static CharMap<Vec<Vec<char>>> {
    static MAP: OnceLock<CharMap<Vec<Vec<char>>>> = OnceLock::new();
    MAP.get_or_init(|| {
        let words = GENERIC.iter().chain(BEFORE_NAME).copied().chain(NOUNS.iter().map(|n| n.0));
        by_char(words, false)
    })
}

/// [`BEFORE_NAME`] by last character: [`name_start`] asks at every character before a noun.
fn stops() -> &'static CharMap<Vec<Vec<char>>> {
    static MAP: OnceLock<CharMap<Vec<Vec<char>>>> = OnceLock::new();
    MAP.get_or_init(|| by_char(BEFORE_NAME.iter().copied(), true))
}

/// Where a name ending with a noun at `noun_start` begins: after the last verb or function
/// word that leaves a stem of [`MIN_STEM`] characters, else at the stretch's start.
/// Of two words that overlap (`推动工业`: 推动 and 动工), the first is read when the character
/// they share begins a word of its own (工业): the name keeps it. `继续建设防洪` stays 建设.
fn name_start(t: &Text, stretch: usize, noun_start: usize) -> usize {
    let mut k = noun_start.saturating_sub(MIN_STEM);
    let floor = stretch.max(noun_start.saturating_sub(MAX_NAME + 1));
    let stops = stops();
    while k > floor {
        // `重点工程隆昌铁路`: the name starts after the noun of another.
        if t.ends_with(k, "工程") || t.ends_with(k, "项目") {
            return k;
        }
        if let Some(len) = longest_ending_at(stops, t, k) {
            if len >= 2
                && k - 1 > floor
                && longest_ending_at(stops, t, k - 1).is_some_and(|l| l >= len)
                && word_at(t, k - 1)
            {
                return k - 1;
            }
            return k;
        }
        k -= 1;
    }
    stretch
}

/// Whether one of the words [`generic`] knows begins at char `i`.
fn word_at(t: &Text, i: usize) -> bool {
    strippers().get(&t.at(i)).is_some_and(|ws| ws.iter().any(|w| t.chars[i..].starts_with(w)))
}

/// The length of the longest word of `map` (keyed by last character) ending at char `end`.
fn longest_ending_at(map: &CharMap<Vec<Vec<char>>>, t: &Text, end: usize) -> Option<usize> {
    map.get(&t.at(end.wrapping_sub(1)))?.iter().filter(|w| ends_with(t, end, w)).map(Vec::len).max()
}

/// The capacity inside `from..to` or right after it (`年产30万吨`, `45万吨/年`).
fn capacity(t: &Text, from: usize, to: usize) -> Option<String> {
    let limit = (to + 12).min(t.chars.len());
    let mut i = from;
    while i < limit {
        if t.at(i).is_ascii_digit() && (i == 0 || !t.at(i - 1).is_ascii_digit()) {
            let mut j = i;
            while j < limit && (t.at(j).is_ascii_digit() || t.at(j) == '.') {
                j += 1;
            }
            while matches!(t.at(j), '万' | '亿') {
                j += 1;
            }
            if let Some(u) = CAPACITY_UNITS.iter().find(|u| t.starts_with(j, u)) {
                let mut e = j + u.chars().count();
                if t.starts_with(e, "/年") || t.starts_with(e, "/日") {
                    e += 2;
                }
                // A capacity after the name must follow it directly (`万顺煤矿45万吨/年`).
                if i > to {
                    return None;
                }
                let s = if t.ends_with(i, "年产") { i - 2 } else { i };
                return Some(t.string(s, e));
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    None
}

/// The amount of an investment starting at char `i` (`投资3.5亿元`, `总投资约12亿元`): where
/// it starts (at 总 if any) and ends.
fn amount_at(t: &Text, i: usize) -> Option<(usize, usize)> {
    if t.at(i) != '投' || t.at(i + 1) != '资' {
        return None;
    }
    let s = if t.ends_with(i, "总") { i - 1 } else { i };
    let mut j = i + 2;
    while matches!(t.at(j), '约' | '达' | '额' | '为' | '近' | '超') {
        j += 1;
    }
    let n = j;
    while t.at(j).is_ascii_digit() || t.at(j) == '.' {
        j += 1;
    }
    if j == n {
        return None;
    }
    ["亿元", "万元", "元"].iter().find(|u| t.starts_with(j, u)).map(|u| (s, j + u.chars().count()))
}

/// The investment of the name starting at `start` and ending at `from`: stated before it as
/// its modifier (`投资5亿元的金穗农贸市场`), else in the sentence after it (`总投资12亿元`). An
/// amount after the name that modifies a name of its own (`…完工，投资6亿元的购物广场开业`)
/// is that one's.
fn investment(t: &Text, start: usize, from: usize, sentence_end: usize) -> Option<String> {
    if t.at(start.wrapping_sub(1)) == '的' && t.ends_with(start - 1, "元") {
        // Back over the amount to 投资: a few characters of digits and a unit.
        let floor = start.saturating_sub(16);
        if let Some(i) = (floor..start - 1).rev().find(|&i| t.at(i) == '投')
            && let Some((s, e)) = amount_at(t, i).filter(|&(_, e)| e == start - 1)
        {
            return Some(t.string(s, e));
        }
    }
    let mut i = from;
    while i + 2 < sentence_end {
        if let Some((s, e)) = amount_at(t, i) {
            if t.at(e) == '的' {
                return None;
            }
            return Some(t.string(s, e));
        }
        i += 1;
    }
    None
}

/// Where the clause after char `from` ends, within the sentence ending at `end`.
fn clause_end(t: &Text, from: usize, end: usize) -> usize {
    (from..end).find(|&i| matches!(t.at(i), '，' | ',' | '、' | '：')).unwrap_or(end)
}

/// The end of the name's clause, or of the next one when it states an investment
/// (`…项目，总投资12亿元`).
fn own_clauses(t: &Text, from: usize, end: usize) -> usize {
    let ce = clause_end(t, from, end);
    if t.starts_with(ce + 1, "总投资") || t.starts_with(ce + 1, "投资") {
        clause_end(t, ce + 1, end)
    } else {
        ce
    }
}

/// The stage the clause after the name implies, else the clause before it, else the rest of
/// the sentence after it, else the sentence before it.
fn stage(t: &Text, sentence: (usize, usize), name: (usize, usize)) -> Option<Stage> {
    // A stage word is read whole: `启动实施` is no 实施 once 启动实施 matched. The first (or
    // last) word that is not weak, else the first (or last) weak one.
    let find = |from: usize, to: usize, last: bool| -> Option<Stage> {
        let (mut strong, mut weak) = (None, None);
        let mut i = from;
        while i < to {
            let word = starts_a_stage(t.at(i))
                .then(|| {
                    STAGES.iter().find(|(w, ..)| t.starts_with(i, w) && i + w.chars().count() <= to)
                })
                .flatten();
            if let Some(&(w, s, is_weak)) = word {
                let slot = if is_weak { &mut weak } else { &mut strong };
                if last || slot.is_none() {
                    *slot = Some(s);
                }
                if strong.is_some() && !last {
                    break;
                }
                i += w.chars().count();
            } else {
                i += 1;
            }
        }
        strong.or(weak)
    };
    let clause_end =
        (name.1..sentence.1).find(|&i| matches!(t.at(i), '，' | ',' | '：')).unwrap_or(sentence.1);
    let clause_start = (sentence.0..name.0)
        .rev()
        .find(|&i| matches!(t.at(i), '，' | ',' | '：'))
        .map_or(sentence.0, |i| i + 1);
    find(name.1, clause_end, false)
        .or_else(|| find(clause_start, name.0, true))
        .or_else(|| find(clause_end, sentence.1, false))
        .or_else(|| find(sentence.0, clause_start, true))
}

/// The length of a sub-works suffix at char `at`, else 0: a phase (`二期`) or the supporting
/// works (`配套`) of the project named before it are a project of their own, named by both.
fn sub_works(t: &Text, at: usize) -> usize {
    let c = t.at(at);
    let phase =
        t.at(at + 1) == '期' && (c.is_ascii_digit() || crate::numeral::chinese_digit(c).is_some());
    if phase || (c == '配' && t.at(at + 1) == '套') { 2 } else { 0 }
}

/// A found name, in chars.
struct Found {
    start: usize,
    end: usize,
    category: ProjectCategory,
}

/// The items of a list closed by `等…项目` (`A、B、C等200个项目`) before `deng`, the index of
/// 等: each runs from a list separator to the next.
fn list_items(t: &Text, stretch: usize, deng: usize, out: &mut Vec<Found>) {
    // What follows 等 must reach 项目 or 工程 within a few characters of counts and modifiers.
    if matches!(
        t.at(deng.wrapping_sub(1)),
        '高' | '平' | '同' | '均' | '对' | '优' | '中' | '初' | '上' | '次' | '相'
    ) {
        return;
    }
    // A list of roads closes on 道路 or 主干道 (`胜利路、滨河路等10条城区道路`): its items
    // are roads, however they end (`规划三路`).
    let mut j = deng + 1;
    let stop = (deng + 12).min(t.chars.len());
    let mut closes = None;
    while j < stop && !is_break(t.at(j)) {
        let roads = t.starts_with(j, "道路") || t.starts_with(j, "主干道");
        if t.starts_with(j, "项目") || t.starts_with(j, "工程") || roads {
            // Counts (`200个`, `10条`, `十五条`) and generic words may stand between.
            let between: Vec<char> =
                t.chars[deng + 1..j].iter().copied().filter(|c| !c.is_ascii_digit()).collect();
            let uncounted: Vec<char> = between
                .iter()
                .copied()
                .filter(|&c| !crate::numeral::is_chinese_numeral_char(c))
                .filter(|c| !matches!(c, '条' | '个' | '座' | '处'))
                .collect();
            if between.is_empty()
                || generic(&between)
                || uncounted.is_empty()
                || generic(&uncounted)
            {
                closes = Some(roads);
            }
            break;
        }
        j += 1;
    }
    let Some(roads) = closes else { return };
    // Items are separated by 、 and, where both sides are long enough to be names, by 和, 及,
    // 与 and 以及 (`机电城和汽车市场等项目`): a separator as (end of one item, start of the next).
    let commas: Vec<usize> = (stretch..deng).filter(|&k| t.at(k) == '、').collect();
    let mut seps: Vec<(usize, usize)> = Vec::with_capacity(commas.len() + 1);
    for k in stretch..deng {
        let c = t.at(k);
        if c == '、' {
            seps.push((k, k + 1));
        } else if matches!(c, '和' | '及' | '与') {
            let left = commas.iter().rev().find(|&&p| p < k).map_or(stretch, |&p| p + 1);
            let right = commas.iter().find(|&&p| p > k).copied().unwrap_or(deng);
            let end = if c == '及' && t.at(k.wrapping_sub(1)) == '以' { k - 1 } else { k };
            // Only between names of facilities: `年产8万吨铝及铝型材精深加工` and
            // `面粉和挂面加工` are one name each.
            let facility = ends_a_facility(t.at(end - 1)) || ends_a_facility(t.at(right - 1));
            if end > left + MIN_STEM && right > k + 1 + MIN_STEM && facility {
                seps.push((end, k + 1));
            }
        }
    }
    let mut end = deng;
    for idx in (0..=seps.len()).rev() {
        let start = if idx == 0 {
            let mut start = name_start(t, stretch, end);
            // A conjunction kept inside a name above is no start either (`铝及铝型材`).
            while start > stretch + 1
                && matches!(t.at(start - 1), '和' | '及' | '与')
                && !ends_a_facility(t.at(start - 2))
            {
                start = name_start(t, stretch, start - 1);
            }
            start
        } else {
            seps[idx - 1].1
        };
        // An item that ends in the word of a programme names one (`课程深化、文化建设等工程`).
        if end > start
            && end - start > MIN_STEM
            && end - start <= MAX_NAME
            && !generic(&t.chars[start..end])
            && !ABSTRACT_WORK.iter().any(|w| t.ends_with(end, w))
        {
            let category = match category_in(t, start, end) {
                ProjectCategory::Other if roads => ProjectCategory::Road,
                c => c,
            };
            out.push(Found { start, end, category });
        }
        if idx > 0 {
            end = seps[idx - 1].0;
        }
    }
}

/// The category of the last project noun inside `start..end`, else other.
fn category_in(t: &Text, start: usize, end: usize) -> ProjectCategory {
    (start + 1..=end)
        .rev()
        .find_map(|e| noun_ending(t, e).filter(|&(l, ..)| e - l >= start).map(|(_, c, _)| c))
        .unwrap_or(ProjectCategory::Other)
}

/// Works on a facility that, after its owner's or its own name, make a list item a project
/// of the 项目 or 工程 closing the list (`华润啤酒迁建、亘富褐煤提质项目`).
const WORKS_ON: [&str; 6] = ["迁建", "扩建", "改造", "提质", "技改", "搬迁"];

/// The items of a list that the name starting at `first` ends (`维林商城、大成超市、
/// 金港广场项目建设`): the 项目 or 工程 of the last item is theirs too. The list runs back
/// over 、 to the verb at the clause's start.
fn shared_noun_items(t: &Text, clause: usize, first: usize, out: &mut Vec<Found>) {
    let mut end = first - 1;
    while end > clause && t.at(end) == '、' {
        let mut start = end;
        while start > clause && t.at(start - 1) != '、' {
            start -= 1;
        }
        let is_first = start == clause;
        if is_first {
            start = name_start(t, clause, end);
        }
        // Only names of facilities, or of works on a named one (`华润啤酒迁建`): lists of
        // people (`科学家、企业家、…人才工程`) and of slogans (`招大引强、引小培优工程`)
        // share the noun too, but name no project.
        let works = WORKS_ON.iter().find(|w| t.ends_with(end, w)).map_or(0, |w| w.chars().count());
        if end - start > MIN_STEM
            && end - start <= MAX_NAME
            && (ends_a_facility(t.at(end - 1))
                || t.at(end - 1) == '市'
                || (works > 0
                    && end - works >= start + MIN_STEM
                    && !generic(&t.chars[start..end - works])))
            // An item that ends in a project noun was judged at its own end.
            && noun_ending(t, end).is_none()
            && !generic(&t.chars[start..end])
        {
            out.push(Found { start, end, category: category_in(t, start, end) });
        }
        if is_first || start == 0 {
            break;
        }
        end = start - 1;
    }
}

/// Extracts the named projects of `text`.
pub(crate) fn projects(t: &Text, cx: &Context<'_>) -> Vec<Project> {
    let n = t.chars.len();
    let mut found: Vec<Found> = Vec::new();
    // The start of the current stretch: the char after the last break.
    let mut stretch = 0;
    // The start of the current clause: `、` does not end it.
    let mut clause = 0;
    for (i, &c) in t.chars.iter().enumerate() {
        let class = class(c);
        // Most characters are of no class: nothing to do.
        if class == 0 {
            continue;
        }
        if class & BREAK != 0 {
            stretch = i + 1;
            if c != '、' {
                clause = i + 1;
            }
            continue;
        }
        if class & DENG != 0 && i > stretch {
            // The list runs back to the clause's start, at most a few hundred characters.
            list_items(t, clause.max(i.saturating_sub(200)), i, &mut found);
        }
        if class & NOUN_END == 0 {
            continue;
        }
        if let Some((len, category, weak)) = noun_ending(t, i + 1) {
            let noun_start = i + 1 - len;
            let next = t.at(i + 1);
            // A longer noun or a name running on (`风电场项目`) is found at its own end.
            let runs_on = noun_ending(t, i + 2).is_some_and(|(l2, ..)| i + 2 - l2 <= noun_start);
            // What follows the noun: anything after 项目 or 工程 (but 工程师 is no 工程), a
            // verb or a list word after a weak noun, also a verb of works or a sub-works
            // suffix after the name of a facility.
            let ends_here = !is_cjk(next)
                || AFTER_WEAK.contains(&next)
                || sub_works(t, i + 1) > 0
                || (!weak && (matches!(c, '目' | '程') || AFTER_FACILITY.contains(&next)));
            // 工程师 is no 工程; a facility that 实现s a figure does no works.
            let ends_here = ends_here
                && next != '师'
                && (matches!(c, '目' | '程') || !t.starts_with(i + 1, "实现"));
            if noun_start >= stretch && !runs_on && ends_here {
                let start = name_start(t, stretch, noun_start);
                let followed_by_count = next.is_ascii_digit()
                    && t.at(i + 2) != '万'
                    && category == ProjectCategory::Other;
                // A programme is named by its 项目 or 工程 (`科技创新工程`), not by a building
                // (`云港科技数据中心`).
                let programme = matches!(c, '目' | '程') && programme_before(t, noun_start);
                let rejected = noun_start - start < MIN_STEM
                    || i + 1 - start > MAX_NAME
                    || generic(&t.chars[start..noun_start])
                    || verb_before(t, noun_start)
                    || governed(t, noun_start, category)
                    || programme
                    || followed_by_count;
                if !rejected {
                    // The category of the first specific noun inside (`泮水煤矿…露天项目`).
                    let inner = (category == ProjectCategory::Other)
                        .then(|| {
                            (start + MIN_STEM + 1..noun_start).find_map(|e| {
                                noun_ending(t, e)
                                    .filter(|&(l, ..)| e - l >= start)
                                    .map(|(_, c, _)| c)
                            })
                        })
                        .flatten();
                    if matches!(c, '目' | '程') && t.at(start.wrapping_sub(1)) == '、' {
                        shared_noun_items(t, clause, start, &mut found);
                    }
                    let end = i + 1 + sub_works(t, i + 1);
                    found.push(Found { start, end, category: inner.unwrap_or(category) });
                }
            }
        }
    }
    // A quoted name is a slogan (“千万工程”); a glossary (名词解释) defines slogans.
    found.retain(|f| {
        let quoted = t.at(f.start.wrapping_sub(1)) == '“' && t.at(f.end) == '”';
        !quoted && !in_glossary(cx.outline, section_at(cx.outline, t.offs[f.start]))
    });
    // In document order; a name inside a longer one is the longer one.
    found.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
    let mut kept: Vec<Found> = Vec::with_capacity(found.len());
    for f in found {
        if kept.last().is_some_and(|k| f.start < k.end) {
            continue;
        }
        kept.push(f);
    }
    kept.into_iter()
        .map(|f| {
            let mut s = f.start;
            while s > 0 && s + MAX_SENTENCE > f.start && !is_sentence_break(t.at(s - 1)) {
                s -= 1;
            }
            let mut e = f.end;
            while e < n && e < f.end + MAX_SENTENCE && !is_sentence_break(t.at(e)) {
                e += 1;
            }
            if t.at(e) == '。' || t.at(e) == '；' {
                e += 1;
            }
            let name = t.string(f.start, f.end);
            Project {
                capacity: capacity(t, f.start, f.end),
                investment: investment(t, f.start, f.end, own_clauses(t, f.end, e)),
                stage: stage(t, (s, e), (f.start, f.end)),
                year: year_at(t, cx, f.start),
                sentence: (t.offs[s], t.offs[e]),
                section: section_at(cx.outline, t.offs[f.start]),
                start: t.offs[f.start],
                end: t.offs[f.end],
                category: f.category,
                name,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocKind, DocumentMeta};

    fn run(text: &str) -> Vec<Project> {
        let meta = DocumentMeta {
            kind: Some(DocKind::WorkReport),
            year: Some(2031),
            ..DocumentMeta::default()
        };
        let outline = crate::outline::outline(text, meta.year);
        projects(&Text::new(text), &Context { meta: &meta, outline: &outline })
    }

    /// Checks the projects of `text` as `name category stage year capacity investment`,
    /// one a line, `-` for none.
    #[track_caller]
    fn check(text: &str, expected: &str) {
        let got: Vec<String> = run(text)
            .iter()
            .map(|p| {
                assert_eq!(&text[p.start..p.end], p.name, "the span is the name");
                assert!(text[p.sentence.0..p.sentence.1].contains(&p.name));
                format!(
                    "{} {} {} {} {} {}",
                    p.name,
                    p.category.as_str(),
                    p.stage.map_or("-", |s| s.as_str()),
                    p.year.map_or("-".into(), |y| y.to_string()),
                    p.capacity.as_deref().unwrap_or("-"),
                    p.investment.as_deref().unwrap_or("-"),
                )
            })
            .collect();
        let expected: Vec<&str> =
            expected.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        assert_eq!(got, expected, "in {text}");
    }

    #[test]
    fn a_name_ends_in_a_project_noun_and_starts_after_the_verb() {
        check(
            "二、2031年工作安排\n加快推进青石大型水库建设，力争启动建设白鹭水库。",
            "青石大型水库 reservoir under_construction 2031 - -
             白鹭水库 reservoir started 2031 - -",
        );
        check(
            "二、2031年工作安排\n推动云岭高速公路、北环铁路专用线建成通车。",
            "云岭高速公路 road completed 2031 - -
             北环铁路专用线 rail completed 2031 - -",
        );
        // A name starts after the noun of a class before it.
        check(
            "二、2031年工作安排\n推进西部新通道重点工程隆昌铁路。",
            "隆昌铁路 rail under_construction 2031 - -",
        );
    }

    #[test]
    fn the_stage_comes_from_the_verb_of_the_sentence() {
        check(
            "二、2031年工作安排\n谋划储备松林抽水蓄能电站。开展金沙水库前期工作。新开工建设南湖中学。加快建设东城医院。桃源煤矿竣工投产。",
            "松林抽水蓄能电站 power planned 2031 - -
             金沙水库 reservoir preparation 2031 - -
             南湖中学 school started 2031 - -
             东城医院 hospital under_construction 2031 - -
             桃源煤矿 mine completed 2031 - -",
        );
    }

    #[test]
    fn put_to_use_and_finishing_are_completed_and_starting_is_started() {
        check(
            "二、2031年工作安排\n确保青柳医院投入使用。完成白沙镇蔬菜基地三期工程。启动实施石门水厂改扩建工程。\
             加快云栖产业园建设，确保数据中心建成。加快推进长岭煤矿完成项目核准。",
            "青柳医院 hospital completed 2031 - -
             白沙镇蔬菜基地三期工程 other completed 2031 - -
             石门水厂改扩建工程 water started 2031 - -
             云栖产业园 park under_construction 2031 - -
             长岭煤矿 mine preparation 2031 - -",
        );
    }

    #[test]
    fn an_investment_before_the_name_is_its_modifier() {
        // The second amount modifies the next name, not the first.
        check(
            "一、2030年工作回顾\n投资5亿元的金穗农贸市场项目主体完工，投资6亿元的银河购物广场正式营业。",
            "金穗农贸市场项目 other completed 2030 - 投资5亿元
             银河购物广场 other completed 2030 - 投资6亿元",
        );
        check(
            "二、2031年工作安排\n开工建设红柳农贸市场项目，投资6亿元的银河购物广场正式营业。",
            "红柳农贸市场项目 other started 2031 - -
             银河购物广场 other completed 2031 - 投资6亿元",
        );
    }

    #[test]
    fn capacity_and_investment_are_read_near_the_name() {
        check(
            "二、2031年工作安排\n推动红岩煤矿60万吨/年建成投产，开工建设年产15万吨新材料项目，总投资12.5亿元。",
            "红岩煤矿 mine completed 2031 60万吨/年 -
             年产15万吨新材料项目 other started 2031 年产15万吨 总投资12.5亿元",
        );
    }

    #[test]
    fn the_year_is_the_sentences_or_the_review_year() {
        // A 2031 report reviews 2030 before its first planning heading.
        check(
            "一、2030年工作回顾\n青石水库建成蓄水。\n二、2031年工作安排\n到2033年，建成北山风电场。",
            "青石水库 reservoir completed 2030 - -
             北山风电场 power completed 2033 - -",
        );
    }

    #[test]
    fn the_items_of_a_list_closed_by_deng_xiangmu_are_projects() {
        check(
            "二、2031年工作安排\n确保金桥广场、南站综合体、河西污水处理厂等30个项目建成投用。",
            "金桥广场 other completed 2031 - -
             南站综合体 other completed 2031 - -
             河西污水处理厂 water completed 2031 - -",
        );
        // 和 between two names separates them as 、 does; not inside a short one.
        check(
            "二、2031年工作安排\n确保金桥商城、银河机电城和绿洲汽车市场、和美广场等项目开工建设。",
            "金桥商城 other started 2031 - -
             银河机电城 other started 2031 - -
             绿洲汽车市场 other started 2031 - -
             和美广场 other started 2031 - -",
        );
        // Not inside one name whose parts are no facilities.
        check(
            "二、2031年工作安排\n推动年产8万吨铝及铝型材精深加工、青禾面粉和挂面加工等项目开工建设。",
            "年产8万吨铝及铝型材精深加工 other started 2031 年产8万吨 -
             青禾面粉和挂面加工 other started 2031 - -",
        );
        // A list that ends in 项目 or 工程 without 等 shares it.
        check(
            "二、2031年工作安排\n启动维林商城、大成超市、金港广场项目建设。实施石湖中学、三中分校、第五中学扩建工程。\
             推进交通、水利、能源项目。培育战略科学家、青年英才、算法工程师。",
            "维林商城 other started 2031 - -
             大成超市 other started 2031 - -
             金港广场项目 other started 2031 - -
             石湖中学 school under_construction 2031 - -
             三中分校 school under_construction 2031 - -
             第五中学扩建工程 school under_construction 2031 - -",
        );
        // 高等 is no list.
        check("二、2031年工作安排\n实施高等教育突破发展工程。", "");
    }

    #[test]
    fn generic_phrases_counts_and_slogans_are_no_projects() {
        check(
            "二、2031年工作安排\n新开工项目80个，建成投用项目60个。抓好重点项目和民生项目，这些项目要早开工。\
             实施“万企兴万村工程”和五大提升工程，推进一批农村公路。建设3座水库。大抓项目抓大项目。",
            "",
        );
        check("二、2031年工作安排\n加快发展光伏发电，推动经济高速发展。", "");
    }

    #[test]
    fn kinds_of_work_phases_and_quantities_with_no_proper_name_are_no_projects() {
        check(
            "二、2031年工作安排\n新建、改扩建中小学12所，实施上述项目。推进棚户区改造工程，二期工程开工建设。\
             抓好我区现有存量工业700万吨露天矿，推进区域规模化集中供水工程。\
             大力实施供水、供热、天然气管道、排水等市政项目建设，加快能源和通信等项目建设。\
             推动工业园区供水保障、城镇老旧小区改造等项目建设。继续建设防洪抗旱工程。\
             深入推进平安城市创建工程和扶贫攻坚工程，支持非公产业园发展。\
             完成城区12公里供水管网及30公里电缆线路改造工程、2.5万平方米城镇老旧小区改造工程。",
            "",
        );
        // The same words after a proper name name a project.
        check(
            "二、2031年工作安排\n投资3000万元的金沙河供水工程投入使用，推进城乡供水工程。实施松岭棚户区改造工程。",
            "金沙河供水工程 other completed 2031 - 投资3000万元
             松岭棚户区改造工程 other under_construction 2031 - -",
        );
    }

    #[test]
    fn a_name_does_not_run_back_over_the_verb_that_governs_its_noun() {
        check(
            "二、2031年工作安排\n确保区医院通过评审，狠抓投资、融资和项目建设，统筹摆布项目，在建的项目早投产，\
             推动转型升级的大项目落地，推动白石煤矿加强项目调度。",
            "白石煤矿 mine under_construction 2031 - -",
        );
    }

    #[test]
    fn sub_works_of_a_project_are_named_by_both() {
        // The irrigation district, a phase or the supporting works of a reservoir are not
        // the reservoir.
        check(
            "二、2031年工作安排\n加快推进青石大型水库灌区配套建设。开工建设白鹭水库二期。推进翠屏水库配套工程。\
             推动金川大型灌区建设，实施大中型灌区改造。加快推进长岭600万吨露天矿前期工作。",
            "青石大型水库灌区配套 reservoir under_construction 2031 - -
             白鹭水库二期 reservoir started 2031 - -
             翠屏水库配套工程 reservoir under_construction 2031 - -
             金川大型灌区 reservoir under_construction 2031 - -
             长岭600万吨露天矿 mine preparation 2031 600万吨 -",
        );
    }

    #[test]
    fn works_on_a_named_facility_share_the_noun_closing_their_list() {
        check(
            "一、2030年工作回顾\n青山啤酒迁建、宏达200万吨褐煤提质项目主体完工。\
             棚户区改造、老旧小区改造工程稳步推进。",
            "青山啤酒迁建 other completed 2030 - -
             宏达200万吨褐煤提质项目 other completed 2030 200万吨 -",
        );
    }

    #[test]
    fn centres_that_are_buildings_are_projects_and_designations_are_not() {
        check(
            "二、2031年工作安排\n确保云港科技数据中心建成并投入使用，开工建设北山冰上运动训练中心，\
             建设国际科技创新中心和区域经济中心，坚持以人民为中心，完善急诊急救中心布局。",
            "云港科技数据中心 other completed 2031 - -
             北山冰上运动训练中心 other started 2031 - -",
        );
    }

    #[test]
    fn the_items_of_a_list_of_roads_are_roads() {
        // 火车站规划三路 loses its head to the verb 规划 and is too short a name left.
        check(
            "一、2030年工作回顾\n完成青云路、学府路等10条城区道路建设。\
             实施火车站规划三路、滨河路等城区道路工程，集中对加格达奇路、金桥大街等7条主干道路进行综合改造。\
             坚持新发展思路、一带一路等重点工作，做好22公里道路的扩建。",
            "青云路 road completed 2030 - -
             学府路 road completed 2030 - -
             滨河路 road under_construction 2030 - -
             加格达奇路 road under_construction 2030 - -
             金桥大街 road under_construction 2030 - -",
        );
    }

    #[test]
    fn a_facility_whose_name_runs_on_or_that_does_no_works_is_no_project() {
        check(
            "一、2030年工作回顾\n青山中学连续三年获评先进，白河医院成功创建三级甲等医院，柳塘电厂满负荷运转。\
             启动东城医院三级甲等医院创建，乌山景区实现旅游收入2亿元。\
             完成石门水库水源保护区整治，建成松溪卫生院医疗次中心。开工建设红原中学教学楼。\
             金沙水库主体完工。云岭水库除险加固。东湖医院整体搬迁。黄泥水库下闸蓄水。南门中学交付使用。\
             城南污水处理厂二期投入运行，开工建设北环快速路。",
            "红原中学教学楼 school started 2030 - -
             金沙水库 reservoir completed 2030 - -
             云岭水库 reservoir - 2030 - -
             东湖医院 hospital - 2030 - -
             黄泥水库 reservoir completed 2030 - -
             南门中学 school completed 2030 - -
             城南污水处理厂二期 water completed 2030 - -
             北环快速路 road started 2030 - -",
        );
    }

    #[test]
    fn hotels_malls_and_scenic_areas_are_named_by_their_owner_or_place() {
        check(
            "二、2031年工作安排\n确保云港国际酒店开工建设，加快两河旅游景区建设，银泰购物广场投入运营。\
             建成五星级酒店2家，成功创建国家5A级旅游景区，培育精品旅游景区，谋划商业综合体，\
             推进金桥湾、云港湾等五星级酒店项目。",
            "云港国际酒店 other started 2031 - -
             两河旅游景区 other under_construction 2031 - -
             银泰购物广场 other completed 2031 - -
             金桥湾 other under_construction 2031 - -
             云港湾 other under_construction 2031 - -",
        );
    }

    #[test]
    fn kinds_of_school_and_programme_items_are_no_projects() {
        check(
            "二、2031年工作安排\n扩大普惠性民办幼儿园，建设乡镇寄宿制学校和特殊教育学校，统筹利用学校资源。\
             实施课程深化、资源支撑、理论研究等育人工程。",
            "",
        );
        // Works on a named place are items of a list.
        check(
            "二、2031年工作安排\n推进白河综合治理和青龙水库等重点水利工程建设。",
            "白河综合治理 other under_construction 2031 - -
             青龙水库 reservoir under_construction 2031 - -",
        );
    }

    #[test]
    fn a_named_street_is_a_road() {
        check(
            "二、2031年工作安排\n集中对青云大街、白塔大街进行综合改造，推进大街小巷整治。",
            "青云大街 road under_construction 2031 - -
             白塔大街 road under_construction 2031 - -",
        );
    }

    #[test]
    fn the_fast_paths_know_every_word() {
        for (w, ..) in NOUNS {
            assert!(ends_a_noun(w.chars().last().expect("a word")), "{w}");
        }
        for c in NOUN_ENDS {
            assert!(NOUNS.iter().any(|(w, ..)| w.ends_with(c)), "{c} ends a noun");
        }
        for (w, ..) in STAGES {
            assert!(starts_a_stage(w.chars().next().expect("a word")), "{w}");
        }
    }

    #[test]
    fn odd_input_gives_no_panic() {
        for text in
            ["", "项目", "等项目", "、、等工程", "水库水库水库", "年产", "投资", "1水库2", "“水库”"]
        {
            let _ = run(text);
        }
    }
}
