//! The project library as the `.xlsx` sheet offices keep (项目库), both ways.
//!
//! [`write_sheet`] writes one row a project: region, name, type, capacity, investment, its
//! list of 一图三清单, its stage, the documents' stage, the timeline by year, the documents
//! behind it and the note. [`App::import_project_sheet`] reads such a sheet back, or an
//! office's own with the same headers (or their usual other names, in any order, on any
//! sheet that has a 项目名称 or 企业名称 column; a sheet named 拟招企业 is that list):
//!
//! - a project the library lacks is entered by hand (the 拟招企业 above all, which no
//!   document names);
//! - a 所在阶段 other than where the project stands moves it there by hand;
//! - a type, capacity, investment, list or note other than the library's is entered for
//!   the project, and wins over its documents.
//!
//! A blank cell changes nothing and a project missing from the sheet stays: an import never
//! deletes. Reading is all or nothing: any cell at fault refuses the whole sheet, with each
//! fault's sheet, row and column.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use serde::Serialize;
use taizhang_extract::ProjectCategory;
use taizhang_store::{ProjectEntry, ProjectOverride};

use super::{
    LibraryFilter, LibraryProject, ProjectList, SiteStage, audit_target, normalise, stage_state,
    timeline,
};
use crate::auth::{Action, Actor};
use crate::ledger::sheet::{HEADER_SEARCH_ROWS, MAX_PROBLEMS, column_letter};
use crate::{App, Error, Result};

/// The columns of the library's sheet, as [`write_sheet`] writes them.
pub const SHEET_COLUMNS: [&str; 11] = [
    "地区",
    "项目名称",
    "类型",
    "建设规模",
    "投资",
    "清单",
    "所在阶段",
    "文件所述阶段",
    "进度（按年）",
    "来源文件",
    "备注",
];

/// What the 来源文件 column says of a project no document names.
const BY_HAND: &str = "手工录入";

/// The 清单 a project is on: 拟招企业 when entered so, else the list its stage puts it on.
fn list_of(p: &LibraryProject, stages: &[SiteStage]) -> &'static str {
    ProjectList::ALL
        .into_iter()
        .rev()
        .find(|&l| LibraryFilter { list: Some(l), ..LibraryFilter::default() }.matches(p, stages))
        .map_or("", ProjectList::label)
}

/// The library as an `.xlsx` sheet (项目库): one row a project, with its list and stage
/// (手动 when set by hand), its timeline by year and the documents behind it. Read back by
/// [`App::import_project_sheet`], it changes nothing.
pub fn write_sheet(
    projects: &[LibraryProject],
    stages: &[SiteStage],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, FormatAlign, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("项目库")?;
    let head = Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Center);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    for (col, h) in SHEET_COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *h, &head)?;
    }
    for (i, p) in projects.iter().enumerate() {
        let r = i as u32 + 1;
        let years: Vec<String> = timeline(p)
            .into_iter()
            .map(|(y, stages)| {
                let y = y.map_or("年份不明".to_owned(), |y| format!("{y}年"));
                let s: Vec<&str> = stages.iter().map(|s| s.label()).collect();
                if s.is_empty() { y } else { format!("{y} {}", s.join("、")) }
            })
            .collect();
        let mut docs: Vec<String> = Vec::new();
        for m in &p.milestones {
            let d = m.document_title.clone().unwrap_or_else(|| format!("文件{}", m.document_id));
            if !docs.contains(&d) {
                docs.push(d);
            }
        }
        if docs.is_empty() {
            docs.push(BY_HAND.to_owned());
        }
        let site = p.site_stage.as_ref();
        let texts: [String; 11] = [
            p.region_name.clone().or_else(|| p.region_code.clone()).unwrap_or_default(),
            p.name.clone(),
            p.category.label().to_owned(),
            p.capacity.clone().unwrap_or_default(),
            p.investment.clone().unwrap_or_default(),
            list_of(p, stages).to_owned(),
            site.map(|s| if s.manual { format!("{}（手动）", s.label) } else { s.label.clone() })
                .unwrap_or_default(),
            p.stage.map(|s| s.label().to_owned()).unwrap_or_default(),
            years.join("\n"),
            docs.join("\n"),
            p.note().to_owned(),
        ];
        for (col, text) in texts.into_iter().enumerate() {
            if !text.is_empty() {
                sheet.write_string_with_format(r, col as u16, text, &wrap)?;
            }
        }
    }
    for (col, width) in [12, 30, 10, 14, 16, 12, 12, 12, 24, 36, 24].into_iter().enumerate() {
        sheet.set_column_width(col as u16, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, projects.len() as u32, SHEET_COLUMNS.len() as u16 - 1)?;
    book.save_to_buffer()
}

/// The columns an import reads, each with the headers offices give it. The others
/// (文件所述阶段, 进度, 来源文件) are the documents' and are not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    Region,
    Name,
    Category,
    Capacity,
    Investment,
    List,
    Stage,
    Note,
}

impl Column {
    const ALL: [Column; 8] = [
        Column::Region,
        Column::Name,
        Column::Category,
        Column::Capacity,
        Column::Investment,
        Column::List,
        Column::Stage,
        Column::Note,
    ];

    /// The headers that name the column; the first is [`write_sheet`]'s.
    fn headers(self) -> &'static [&'static str] {
        match self {
            Column::Region => &["地区", "区域", "所在地区", "所在地", "县（市、区）", "县市区"],
            Column::Name => &[
                "项目名称",
                "名称",
                "企业名称",
                "项目（企业）名称",
                "企业（项目）名称",
                "拟招企业",
                "拟招企业名称",
            ],
            Column::Category => &["类型", "项目类型"],
            Column::Capacity => &["建设规模", "规模", "建设内容及规模", "产能"],
            Column::Investment => &["投资", "总投资", "投资额", "计划总投资", "拟投资额"],
            Column::List => &["清单", "所属清单", "清单类别"],
            Column::Stage => &["所在阶段", "阶段", "所在库", "入库类别", "项目阶段"],
            Column::Note => &["备注", "说明"],
        }
    }

    /// The column a header names, with the unit it gives in brackets (`总投资（亿元）`).
    fn of(header: &str) -> Option<(Column, Option<String>)> {
        let h: String = header.chars().filter(|c| !c.is_whitespace()).collect();
        let (bare, unit) =
            match h.strip_suffix(['）', ')']).and_then(|s| s.rsplit_once(['（', '('])) {
                // 项目（企业）名称 has its brackets inside.
                Some((bare, unit)) if !bare.is_empty() => (bare.to_owned(), Some(unit.to_owned())),
                _ => (h.clone(), None),
            };
        Column::ALL.into_iter().find_map(|c| {
            if c.headers().contains(&h.as_str()) {
                Some((c, None))
            } else if c.headers().contains(&bare.as_str()) {
                Some((c, unit.clone().filter(|u| !u.is_empty())))
            } else {
                None
            }
        })
    }
}

/// One row of a library sheet: what its cells say, `None` for a blank cell or a column the
/// sheet lacks (which changes nothing).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct SheetRow {
    /// Where it is, for faults: `项目库 第3行`.
    at: String,
    region: Option<String>,
    name: String,
    category: Option<ProjectCategory>,
    capacity: Option<String>,
    investment: Option<String>,
    prospect: Option<bool>,
    /// The site stage's cell, its 手动 mark dropped.
    stage: Option<String>,
    note: Option<String>,
}

/// Faults found while reading, each with its place.
#[derive(Debug, Default)]
struct Faults {
    listed: Vec<String>,
    total: usize,
}

impl Faults {
    fn add(&mut self, message: String) {
        self.total += 1;
        if self.listed.len() < MAX_PROBLEMS {
            self.listed.push(message);
        }
    }

    fn into_result(self) -> Result<()> {
        if self.total == 0 {
            return Ok(());
        }
        let mut message = format!("表格有误，未导入任何项目：{}", self.listed.join("；"));
        if self.total > self.listed.len() {
            message.push_str(&format!("；另有{}处错误", self.total - self.listed.len()));
        }
        Err(Error::Invalid(message))
    }
}

/// A cell as text, trimmed.
fn cell_text(d: &Data) -> String {
    let text = crate::ledger::sheet::cell_text(d);
    match text.trim() {
        trimmed if trimmed.len() == text.len() => text,
        trimmed => trimmed.to_owned(),
    }
}

/// The list a 清单 cell names: `Some(true)` for 拟招企业, `Some(false)` for the lists a
/// stage decides, `None` for a blank; `Err` for anything else.
fn parse_list(cell: &str) -> Result<Option<bool>, String> {
    match cell.trim() {
        "" => Ok(None),
        "拟招企业" | "拟招" | "prospects" => Ok(Some(true)),
        s if ProjectList::ALL.iter().any(|l| l.label() == s || l.as_str() == s)
            || matches!(s, "在建" | "在谈" | "谋划" | "在谈项目" | "谋划项目") =>
        {
            Ok(Some(false))
        }
        s => Err(format!("无法识别的清单“{s}”（可填：在建项目、在谈/谋划项目、拟招企业）")),
    }
}

/// The words offices write in a 类型 column for each category, besides its label and key.
const CATEGORY_WORDS: [(ProjectCategory, &[&str]); 11] = [
    (ProjectCategory::Reservoir, &["水库", "水利", "水利工程"]),
    (ProjectCategory::Road, &["公路", "道路", "交通", "桥梁", "隧道", "高速公路"]),
    (ProjectCategory::Rail, &["轨道交通", "铁路工程"]),
    (ProjectCategory::Airport, &["航空", "民航"]),
    (ProjectCategory::Power, &["能源", "电力", "新能源", "电站"]),
    (ProjectCategory::Mine, &["煤矿", "矿业", "采矿"]),
    (ProjectCategory::Park, &["产业园", "工业园", "开发区", "物流园"]),
    (ProjectCategory::School, &["教育", "学校建设"]),
    (ProjectCategory::Hospital, &["卫生", "医疗", "医疗卫生"]),
    (ProjectCategory::Plant, &["工业", "工厂", "制造业", "产业", "生产线"]),
    (ProjectCategory::Water, &["供水", "排水", "污水处理", "水厂"]),
];

/// The category a 类型 cell names: its label (`水库水利`), its key (`reservoir`) or a word
/// offices use for it (`水库`, `产业园`).
fn parse_category(cell: &str) -> Result<ProjectCategory, String> {
    ProjectCategory::ALL
        .into_iter()
        .find(|c| c.label() == cell || c.as_str() == cell)
        .or_else(|| CATEGORY_WORDS.iter().find(|(_, words)| words.contains(&cell)).map(|(c, _)| *c))
        .ok_or_else(|| {
            let labels: Vec<&str> = ProjectCategory::ALL.iter().map(|c| c.label()).collect();
            format!("无法识别的类型“{cell}”（可填：{}）", labels.join("、"))
        })
}

/// Reads every sheet of the workbook that has a name column into rows, in order. A row with
/// a cell at fault is left out and the fault kept in `faults`; a workbook with no such sheet
/// is refused at once.
fn read_rows(bytes: &[u8], faults: &mut Faults) -> Result<Vec<SheetRow>> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|_| Error::Invalid("无法读取文件：不是有效的 Excel（.xlsx）文件".into()))?;
    let mut rows = Vec::new();
    let mut any_sheet = false;
    for (sheet_name, range) in book.worksheets() {
        let Some((last_row, last_col)) = range.end() else { continue };
        let text = |r: u32, c: u32| range.get_value((r, c)).map(cell_text).unwrap_or_default();
        let columns = |r: u32| -> Vec<(u32, Column, Option<String>)> {
            (0..=last_col)
                .filter_map(|c| Column::of(&text(r, c)).map(|(col, unit)| (c, col, unit)))
                .collect()
        };
        let Some((header, cols)) = (0..=last_row.min(HEADER_SEARCH_ROWS - 1))
            .map(|r| (r, columns(r)))
            .find(|(_, cols)| cols.iter().any(|(_, c, _)| *c == Column::Name))
        else {
            continue;
        };
        any_sheet = true;
        // The first column of each kind counts; a later one of the same kind is ignored.
        let mut at: HashMap<Column, (u32, Option<String>)> = HashMap::new();
        for (c, col, unit) in cols {
            at.entry(col).or_insert((c, unit));
        }
        let prospects_sheet = sheet_name.trim() == "拟招企业";
        for r in header + 1..=last_row {
            let cell =
                |col: Column| at.get(&col).map(|(c, _)| text(r, *c)).filter(|s| !s.is_empty());
            if Column::ALL.iter().all(|&col| cell(col).is_none()) {
                continue;
            }
            let place = format!("{sheet_name} 第{}行", r + 1);
            let faults_before = faults.total;
            let mut fault = |col: Column, message: String| {
                let c = at.get(&col).map_or(0, |(c, _)| *c);
                let header: String = text(header, c);
                faults.add(format!("{place} {}列（{header}）：{message}", column_letter(c)));
            };
            let name = cell(Column::Name).unwrap_or_default();
            if normalise(&name).is_empty() {
                fault(Column::Name, "项目名称不能为空".into());
            }
            let category = cell(Column::Category)
                .and_then(|s| parse_category(&s).map_err(|e| fault(Column::Category, e)).ok());
            let listed = cell(Column::List)
                .and_then(|s| parse_list(&s).map_err(|e| fault(Column::List, e)).ok())
                .flatten();
            // A bare number under 投资（亿元） takes the header's unit.
            let investment = cell(Column::Investment).map(|s| {
                match at.get(&Column::Investment).and_then(|(_, u)| u.as_deref()) {
                    Some(unit) if s.parse::<f64>().is_ok() => format!("{s}{unit}"),
                    _ => s,
                }
            });
            let stage = cell(Column::Stage).map(|s| {
                let bare = s.strip_suffix("（手动）").or_else(|| s.strip_suffix("(手动)"));
                bare.unwrap_or(&s).trim().to_owned()
            });
            if faults.total > faults_before {
                continue;
            }
            rows.push(SheetRow {
                at: place,
                region: cell(Column::Region),
                name,
                category,
                capacity: cell(Column::Capacity),
                investment,
                prospect: listed.or(prospects_sheet.then_some(true)),
                stage,
                note: cell(Column::Note),
            });
        }
    }
    if !any_sheet {
        return Err(Error::Invalid(
            "表格中没有项目：找不到“项目名称”（或“企业名称”）列，表头应在前5行".into(),
        ));
    }
    if rows.is_empty() && faults.total == 0 {
        return Err(Error::Invalid("表格中没有项目（表头下方没有数据行）".into()));
    }
    Ok(rows)
}

/// What an import did, by project name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ProjectImport {
    /// Projects the library lacked, now entered by hand.
    pub added: Vec<String>,
    /// Projects whose type, capacity, investment, list or note the sheet changed.
    pub updated: Vec<String>,
    /// Projects moved to another stage by hand.
    pub moved: Vec<String>,
    /// Rows that changed nothing.
    pub unchanged: usize,
}

/// An entry as the audit log keeps it.
pub(super) fn entry_json(e: &ProjectEntry) -> serde_json::Value {
    serde_json::json!({
        "region_code": e.region_code,
        "name": e.name,
        "category": e.category.as_str(),
        "capacity": e.capacity,
        "investment": e.investment,
        "prospect": e.prospect,
        "note": e.note,
    })
}

impl App {
    /// Imports the project library's sheet (see the module's documentation): projects the
    /// library lacks are entered, stages moved, what the office adds entered. All or
    /// nothing, in one transaction; a sheet that changes nothing writes nothing.
    pub async fn import_project_sheet(&self, actor: &Actor, bytes: &[u8]) -> Result<ProjectImport> {
        self.authorize(actor, Action::ImportProjects, ("project", ""), None).await?;
        let mut faults = Faults::default();
        let rows = read_rows(bytes, &mut faults)?;
        let stages = self.project_stages().await?;
        let library = self.project_library(&LibraryFilter::default()).await?;
        let entries = self.store().project_entries(None).await?;
        let mut by_key: HashMap<&str, Vec<&LibraryProject>> = HashMap::new();
        for p in &library {
            by_key.entry(p.key.as_str()).or_default().push(p);
        }

        let mut seen: HashMap<(Option<String>, String), String> = HashMap::new();
        let mut done = ProjectImport::default();
        let mut new_entries: Vec<ProjectEntry> = Vec::new();
        let mut overrides: Vec<ProjectOverride> = Vec::new();
        // One audit entry per project changed, beside the import's own.
        let mut each: Vec<taizhang_store::Change> = Vec::new();
        for row in &rows {
            let key = normalise(&row.name);
            let same_name = by_key.get(key.as_str()).map_or(&[][..], Vec::as_slice);
            let region = match &row.region {
                None => match same_name {
                    [] => None,
                    [p] => p.region_code.clone(),
                    _ => {
                        faults.add(format!("{}：多个地区都有“{}”，请填写地区", row.at, row.name));
                        continue;
                    }
                },
                Some(cell) => match self.region_of(cell, &library).await {
                    Ok(code) => Some(code),
                    Err(message) => {
                        faults.add(format!("{}：{message}", row.at));
                        continue;
                    }
                },
            };
            if let Some(first) = seen.insert((region.clone(), key.clone()), row.at.clone()) {
                faults.add(format!("{}：与{first}是同一个项目“{}”", row.at, row.name));
                continue;
            }
            let stage = match &row.stage {
                None => None,
                Some(cell) => match stages.iter().find(|s| s.label == *cell || s.key == *cell) {
                    Some(s) => Some(s),
                    None => {
                        let labels: Vec<&str> = stages.iter().map(|s| s.label.as_str()).collect();
                        faults.add(format!(
                            "{}：无法识别的阶段“{cell}”（可填：{}）",
                            row.at,
                            labels.join("、")
                        ));
                        continue;
                    }
                },
            };
            let project = same_name.iter().find(|p| p.region_code == region).copied();
            let entry = entries.iter().find(|e| e.region_code == region && e.name_key == key);
            let manual = project.and_then(|p| p.site_stage.as_ref()).filter(|s| s.manual);

            // The stage: moved when the sheet puts the project elsewhere; the note goes
            // with the move, or to a stage set by hand before when nothing else holds one.
            let here = project.and_then(|p| p.site_stage.as_ref()).map(|s| s.key.as_str());
            let target = audit_target(region.as_deref(), &key);
            let set_stage = match stage.filter(|s| Some(s.key.as_str()) != here) {
                Some(s) => {
                    Some((&s.key, row.note.clone().unwrap_or_default(), "调整阶段为", &s.label))
                }
                None => match (manual, entry, &row.note) {
                    (Some(m), None, Some(note)) if *note != m.note => {
                        Some((&m.key, note.clone(), "修改说明，阶段仍为", &m.label))
                    }
                    _ => None,
                },
            };
            let note_taken = set_stage.is_some();
            let (mut moved, mut updated) = (false, false);
            if let Some((stage, note, what, label)) = set_stage {
                each.push(
                    actor
                        .change(Action::ImportProjects, "project", &target)
                        .with_states(
                            manual.map(|m| stage_state(&m.key, &m.note)),
                            Some(stage_state(stage, &note)),
                        )
                        .with_detail(format!("{}：导入表格{what}{label}", row.name)),
                );
                overrides.push(ProjectOverride {
                    region_code: region.clone(),
                    name_key: key.clone(),
                    stage: stage.clone(),
                    note,
                    updated_at: String::new(),
                });
                // A project new to the library is not moved: it starts there.
                moved = project.is_some() && Some(stage.as_str()) != here;
                updated = project.is_some() && !moved;
            }

            // What the office says of the project itself.
            let note = row.note.clone().filter(|_| !note_taken || project.is_none());
            let differs = match project {
                None => true,
                Some(p) => {
                    row.category.is_some_and(|c| c != p.category)
                        || row.capacity.as_ref().is_some_and(|c| Some(c) != p.capacity.as_ref())
                        || row.investment.as_ref().is_some_and(|i| Some(i) != p.investment.as_ref())
                        || row.prospect.is_some_and(|b| b != p.prospect())
                        || note.as_ref().is_some_and(|n| n != p.note())
                }
            };
            if differs {
                let mut e = entry.cloned().unwrap_or_else(|| ProjectEntry {
                    region_code: region.clone(),
                    region_name: None,
                    name_key: key.clone(),
                    name: row.name.trim().to_owned(),
                    category: ProjectCategory::Other,
                    capacity: None,
                    investment: None,
                    prospect: false,
                    note: String::new(),
                    updated_at: String::new(),
                });
                if let Some(c) = row.category {
                    e.category = c;
                }
                e.capacity = row.capacity.clone().or(e.capacity);
                e.investment = row.investment.clone().or(e.investment);
                e.prospect = row.prospect.unwrap_or(e.prospect);
                e.note = note.unwrap_or(e.note);
                each.push(
                    actor
                        .change(Action::ImportProjects, "project", &target)
                        .with_states(
                            entry.map(|old| entry_json(old).to_string()),
                            Some(entry_json(&e).to_string()),
                        )
                        .with_detail(format!(
                            "{}：导入表格{}",
                            row.name,
                            if project.is_some() { "修改" } else { "新增" }
                        )),
                );
                new_entries.push(e);
                updated |= project.is_some();
            }
            if project.is_none() {
                done.added.push(row.name.clone());
                continue;
            }
            if moved {
                done.moved.push(row.name.clone());
            }
            if updated {
                done.updated.push(row.name.clone());
            }
            if !moved && !updated {
                done.unchanged += 1;
            }
        }
        faults.into_result()?;
        if new_entries.is_empty() && overrides.is_empty() {
            return Ok(done);
        }
        let after = serde_json::json!({
            "entries": new_entries.iter().map(entry_json).collect::<Vec<_>>(),
            "stages": overrides.iter().map(|o| serde_json::json!({
                "region_code": o.region_code, "name_key": o.name_key,
                "stage": o.stage, "note": o.note,
            })).collect::<Vec<_>>(),
        });
        let change = actor
            .change(Action::ImportProjects, "project", "")
            .with_states(None, Some(after.to_string()))
            .with_detail(format!(
                "导入{}行：新增{}个，更新{}个，调整阶段{}个",
                rows.len(),
                done.added.len(),
                done.updated.len(),
                done.moved.len()
            ));
        let generation =
            self.store().put_project_entries(&new_entries, &overrides, &change, &each).await?;
        self.follow_other_write(generation);
        Ok(done)
    }

    /// The region code a sheet's 地区 cell means: a region of the library's projects with
    /// that name or code, else the one region of the country so named.
    async fn region_of(&self, cell: &str, library: &[LibraryProject]) -> Result<String, String> {
        let mut known: Vec<&str> = library
            .iter()
            .filter(|p| {
                p.region_name.as_deref() == Some(cell) || p.region_code.as_deref() == Some(cell)
            })
            .filter_map(|p| p.region_code.as_deref())
            .collect();
        known.sort_unstable();
        known.dedup();
        if let [code] = known.as_slice() {
            return Ok((*code).to_owned());
        }
        match self.store().find_region(cell).await {
            Ok(Some(r)) => Ok(r.code),
            Ok(None) => Err(format!("没有找到地区“{cell}”")),
            Err(taizhang_store::Error::AmbiguousRegion { candidates, .. }) => Err(format!(
                "有多个地区叫“{cell}”（{}），请填写行政区划代码",
                candidates.join("、")
            )),
            Err(e) => Err(e.to_string()),
        }
    }
}
