//! The ledger as the `.xlsx` sheet offices pass around: 序号, 目标任务, 责任单位, 配合单位,
//! 完成时限, 进展情况, 存在问题, 下步打算 in columns A to H, then what taizhang adds so that
//! a sheet it wrote comes back without loss: 状态, 完成进度（%）, 开始时间, 来源原句,
//! 来源位置.
//!
//! Reading is all or nothing: every cell is checked first, and a sheet with any cell at
//! fault is refused with each fault's row and column, so that nothing is half imported.

use std::fmt;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};
use taizhang_store::{Task, TaskRow, TaskSource, TaskStatus};

use super::date::{Date, parse_day, parse_deadline};
use super::status_label;

/// The eight columns every ledger sheet has, in order.
pub const COLUMNS: [&str; 8] =
    ["序号", "目标任务", "责任单位", "配合单位", "完成时限", "进展情况", "存在问题", "下步打算"];

/// Other names offices give the eight columns.
const ALIASES: [&[&str]; 8] = [
    &["序号", "编号"],
    &["目标任务", "重点任务", "工作任务", "任务内容", "主要任务"],
    &["责任单位", "牵头单位", "牵头责任单位"],
    &["配合单位", "协同单位", "参与单位"],
    &["完成时限", "完成时间", "时间节点", "时限要求"],
    &["进展情况", "工作进展", "推进情况", "完成情况"],
    &["存在问题", "存在的问题", "问题困难"],
    &["下步打算", "下一步打算", "下步计划", "下一步工作计划"],
];

/// The columns taizhang adds after the eight, in the order it writes them.
const EXTRA: [&str; 5] = ["状态", "完成进度（%）", "开始时间", "来源原句", "来源位置"];

/// How many rows above the header a sheet may have (a title, a date line).
pub(crate) const HEADER_SEARCH_ROWS: u32 = 5;

/// At most this many faults are listed; a sheet in the wrong layout has one in every row.
pub(crate) const MAX_PROBLEMS: usize = 20;

/// One cell at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The row, from 1 as Excel numbers them; `None` for the workbook as a whole.
    pub row: Option<u32>,
    /// The column, from 0 (A).
    pub column: Option<u32>,
    /// What is wrong, in Chinese.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.row, self.column) {
            (Some(r), Some(c)) => {
                let name = column_name(c);
                write!(f, "第{r}行 {}列", column_letter(c))?;
                if let Some(name) = name {
                    write!(f, "（{name}）")?;
                }
                write!(f, "：{}", self.message)
            }
            (Some(r), None) => write!(f, "第{r}行：{}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

/// Why a sheet was refused: each cell at fault (the first twenty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetError {
    /// The faults, in row order.
    pub problems: Vec<Problem>,
    /// How many more faults there were than are listed.
    pub more: usize,
}

impl fmt::Display for SheetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("表格有误，未导入任何任务：")?;
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("；")?;
            }
            write!(f, "{p}")?;
        }
        if self.more > 0 {
            write!(f, "；另有{}处错误", self.more)?;
        }
        Ok(())
    }
}

impl std::error::Error for SheetError {}

impl SheetError {
    fn whole(message: impl Into<String>) -> SheetError {
        SheetError {
            problems: vec![Problem { row: None, column: None, message: message.into() }],
            more: 0,
        }
    }
}

/// `A` for 0, `AA` for 26.
pub fn column_letter(mut c: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

fn column_name(c: u32) -> Option<&'static str> {
    let c = c as usize;
    COLUMNS.get(c).or_else(|| EXTRA.get(c.wrapping_sub(COLUMNS.len()))).copied()
}

/// The formats of taizhang's workbooks (the ledger, an assessment, a bulletin).
pub(crate) struct Styles {
    /// A header cell: bold, wrapped, centred.
    pub head: Format,
    /// A body cell: wrapped, at the top.
    pub wrap: Format,
    /// Points with two decimals, as shown; the cell keeps the exact value.
    pub points: Format,
}

impl Styles {
    pub(crate) fn new() -> Styles {
        Styles {
            head: Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Center),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            points: Format::new().set_num_format("0.00").set_align(FormatAlign::Top),
        }
    }

    /// A sheet named `name` in `book` with `headers` in its first row and the columns
    /// `widths` wide (in characters).
    pub(crate) fn sheet<'a>(
        &self,
        book: &'a mut Workbook,
        name: &str,
        headers: &[&str],
        widths: &[f64],
    ) -> Result<&'a mut Worksheet, XlsxError> {
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
        for (col, h) in headers.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, *h, &self.head)?;
        }
        for (col, width) in widths.iter().enumerate() {
            sheet.set_column_width(col as u16, *width)?;
        }
        Ok(sheet)
    }
}

/// The sheet of `tasks`: a bold, frozen header row with a filter, the eight columns and
/// taizhang's five.
pub fn write(tasks: &[TaskRow]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let styles = Styles::new();
    let wrap = &styles.wrap;
    let headers: Vec<&str> = COLUMNS.iter().chain(EXTRA.iter()).copied().collect();
    let widths = [6., 40., 16., 20., 14., 36., 24., 24., 8., 8., 12., 40., 24.];
    let sheet = styles.sheet(&mut book, "台账", &headers, &widths)?;
    for (i, row) in tasks.iter().enumerate() {
        let r = i as u32 + 1;
        let t = &row.task;
        sheet.write_number_with_format(r, 0, row.ord as f64, wrap)?;
        let source = t.source.as_ref();
        let texts: [(u16, String); 11] = [
            (1, t.title.clone()),
            (2, t.lead_unit.clone()),
            (3, t.assisting_units.join("、")),
            (4, deadline_cell(t)),
            (5, t.progress.clone()),
            (6, t.problems.clone()),
            (7, t.next_steps.clone()),
            (8, status_label(t.status).to_owned()),
            (10, t.start_date.clone().unwrap_or_default()),
            (11, source.map(|s| s.text.clone()).unwrap_or_default()),
            (12, source.map(source_cell).unwrap_or_default()),
        ];
        for (col, text) in texts {
            if !text.is_empty() {
                sheet.write_string_with_format(r, col, text, wrap)?;
            }
        }
        if let Some(p) = t.percent {
            sheet.write_number_with_format(r, 9, p, wrap)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    let last_col = (COLUMNS.len() + EXTRA.len() - 1) as u16;
    sheet.autofilter(0, 0, tasks.len() as u32, last_col)?;
    book.save_to_buffer()
}

/// 完成时限 as written when it still reads as the task's deadline without a year from
/// the context; otherwise the date itself, so that the sheet means the same anywhere.
fn deadline_cell(t: &Task) -> String {
    let deadline = t.deadline.as_deref().and_then(Date::parse_iso);
    if parse_deadline(&t.deadline_text, None) == Ok(deadline) {
        return t.deadline_text.clone();
    }
    deadline.map(|d| d.to_string()).unwrap_or_else(|| t.deadline_text.clone())
}

/// `/documents/12#b100-180`: the document and the byte span of the sentence.
fn source_cell(s: &TaskSource) -> String {
    match (s.document_id, s.start, s.end) {
        (Some(id), Some(start), Some(end)) => format!("/documents/{id}#b{start}-{end}"),
        (Some(id), _, _) => format!("/documents/{id}"),
        _ => String::new(),
    }
}

fn parse_source_cell(s: &str) -> Option<(i64, Option<(usize, usize)>)> {
    let rest = s.strip_prefix("/documents/")?;
    let (id, span) = match rest.split_once("#b") {
        Some((id, span)) => {
            let (a, b) = span.split_once('-')?;
            (id, Some((a.parse().ok()?, b.parse().ok()?)))
        }
        None => (rest, None),
    };
    let id: i64 = id.parse().ok()?;
    if span.is_some_and(|(a, b)| a > b) || id <= 0 {
        return None;
    }
    Some((id, span))
}

/// Reads the first sheet of an `.xlsx` workbook into tasks, in row order. A 完成时限
/// without its year (`6月底`) takes `year`. Blank rows are skipped. Any cell at fault
/// refuses the whole sheet.
pub fn read(bytes: &[u8], year: i32) -> Result<Vec<Task>, SheetError> {
    read_with_layout(bytes, year).map(|(tasks, _)| tasks)
}

/// What a sheet read by [`read_with_layout`] had besides its tasks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    /// The row of each task, from 1 as Excel numbers them.
    pub rows: Vec<u32>,
    /// Whether it has a 状态 column; without one a task's status is guessed from 进展情况.
    pub status: bool,
    /// Whether it has a 完成进度 column.
    pub percent: bool,
    /// Whether it has a 开始时间 column.
    pub start: bool,
}

/// [`read`], with the row of each task and which of taizhang's columns the sheet has, so
/// that an update from the sheet keeps what it does not say.
pub fn read_with_layout(bytes: &[u8], year: i32) -> Result<(Vec<Task>, Layout), SheetError> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|_| SheetError::whole("无法读取文件：不是有效的 Excel（.xlsx）文件"))?;
    let range = match book.worksheet_range_at(0) {
        Some(Ok(range)) => range,
        Some(Err(_)) => return Err(SheetError::whole("无法读取第一个工作表")),
        None => return Err(SheetError::whole("工作簿中没有工作表")),
    };
    let Some((last_row, last_col)) = range.end() else {
        return Err(SheetError::whole("工作表是空的"));
    };
    let text = |r: u32, c: u32| range.get_value((r, c)).map(cell_text).unwrap_or_default();

    // The header: the first row (of the first few) whose column A says 序号.
    let header = (0..=last_row.min(HEADER_SEARCH_ROWS - 1))
        .find(|&r| ALIASES[0].contains(&header_text(&text(r, 0)).as_str()))
        .unwrap_or(0);
    let mut problems = Vec::new();
    for (c, names) in ALIASES.iter().enumerate() {
        let c = c as u32;
        let found = header_text(&text(header, c));
        if !names.contains(&found.as_str()) {
            let message = if found.is_empty() {
                format!("表头应为“{}”，实为空", names[0])
            } else {
                format!("表头应为“{}”，实为“{found}”", names[0])
            };
            problems.push(Problem { row: Some(header + 1), column: Some(c), message });
        }
    }
    if !problems.is_empty() {
        return Err(SheetError { problems, more: 0 });
    }
    // taizhang's columns, wherever they are after the eight.
    let mut extra: [Option<u32>; 5] = [None; 5];
    for c in COLUMNS.len() as u32..=last_col {
        let h = header_text(&text(header, c));
        let slot = match h.as_str() {
            "状态" | "推进状态" => 0,
            "完成进度（%）" | "完成进度(%)" | "完成进度" | "完成率" | "完成比例" => {
                1
            }
            "开始时间" | "开始日期" => 2,
            "来源原句" | "原文" => 3,
            "来源位置" => 4,
            _ => continue,
        };
        extra[slot].get_or_insert(c);
    }

    let mut tasks = Vec::new();
    let mut layout = Layout {
        rows: Vec::new(),
        status: extra[0].is_some(),
        percent: extra[1].is_some(),
        start: extra[2].is_some(),
    };
    let mut total = 0usize;
    let mut fault = |problems: &mut Vec<Problem>, r: u32, c: u32, message: String| {
        total += 1;
        if problems.len() < MAX_PROBLEMS {
            problems.push(Problem { row: Some(r + 1), column: Some(c), message });
        }
    };
    for r in header + 1..=last_row {
        let cells: Vec<String> = (0..=last_col).map(|c| text(r, c)).collect();
        if cells.iter().all(|s| s.trim().is_empty()) {
            continue;
        }
        for c in 0..=last_col {
            if let Some(Data::Error(e)) = range.get_value((r, c)) {
                fault(&mut problems, r, c, format!("单元格含错误值（{e}）"));
            }
        }
        let cell = |c: u32| cells[c as usize].trim().to_owned();
        let ord = match cell(0) {
            s if s.is_empty() => None,
            s => match s.parse::<i64>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    fault(&mut problems, r, 0, format!("序号应为正整数，实为“{s}”"));
                    None
                }
            },
        };
        let title = cell(1);
        if title.is_empty() {
            fault(&mut problems, r, 1, "目标任务不能为空".into());
        }
        let deadline_text = cell(4);
        let deadline = match range.get_value((r, 4)) {
            Some(Data::DateTime(dt)) => {
                let (y, m, d, ..) = dt.to_ymd_hms_milli();
                Date::new(i32::from(y), u32::from(m), u32::from(d))
                    .ok_or_else(|| format!("无法识别的日期“{deadline_text}”"))
                    .map(Some)
            }
            _ => parse_deadline(&deadline_text, Some(year)),
        };
        let deadline = deadline.unwrap_or_else(|e| {
            fault(&mut problems, r, 4, e);
            None
        });
        let at = |slot: usize| extra[slot].map(|c| (c, cell(c)));
        let status = match at(0) {
            Some((c, s)) if !s.is_empty() => parse_status(&s).unwrap_or_else(|| {
                fault(
                    &mut problems,
                    r,
                    c,
                    format!("无法识别的状态“{s}”（可填：未启动、推进中、已完成、暂缓）"),
                );
                TaskStatus::NotStarted
            }),
            // Without a status column, a row with progress is under way.
            _ if cell(5).is_empty() => TaskStatus::NotStarted,
            _ => TaskStatus::InProgress,
        };
        let percent = match at(1) {
            Some((c, s)) if !s.is_empty() => {
                match s.trim_end_matches(['%', '％']).trim().parse::<f64>() {
                    Ok(p) if (0.0..=100.0).contains(&p) => Some(p),
                    _ => {
                        fault(
                            &mut problems,
                            r,
                            c,
                            format!("完成进度应为0到100之间的数，实为“{s}”"),
                        );
                        None
                    }
                }
            }
            _ => None,
        };
        let start_date = match at(2) {
            Some((c, s)) if !s.is_empty() => {
                let day = match range.get_value((r, c)) {
                    Some(Data::DateTime(dt)) => {
                        let (y, m, d, ..) = dt.to_ymd_hms_milli();
                        Date::new(i32::from(y), u32::from(m), u32::from(d))
                    }
                    _ => parse_day(&s),
                };
                match day {
                    Some(d) => Some(d.to_string()),
                    None => {
                        fault(
                            &mut problems,
                            r,
                            c,
                            format!("无法识别的日期“{s}”（应为具体日期，如2026-01-01）"),
                        );
                        None
                    }
                }
            }
            _ => None,
        };
        let source_text = at(3).map(|(_, s)| s).filter(|s| !s.is_empty());
        let place = match at(4) {
            Some((c, s)) if !s.is_empty() => match parse_source_cell(&s) {
                Some(p) => Some(p),
                None => {
                    fault(
                        &mut problems,
                        r,
                        c,
                        format!("来源位置应形如“/documents/12#b100-180”，实为“{s}”"),
                    );
                    None
                }
            },
            _ => None,
        };
        let source = match (source_text, place) {
            (None, None) => None,
            (text, place) => Some(TaskSource {
                document_id: place.map(|(id, _)| id),
                start: place.and_then(|(_, span)| span).map(|(a, _)| a),
                end: place.and_then(|(_, span)| span).map(|(_, b)| b),
                text: text.unwrap_or_default(),
            }),
        };
        layout.rows.push(r + 1);
        tasks.push(Task {
            ord,
            title,
            lead_unit: cell(2),
            assisting_units: split_units(&cell(3)),
            start_date,
            deadline: deadline.map(|d| d.to_string()),
            deadline_text,
            status,
            percent,
            progress: cell(5),
            problems: cell(6),
            next_steps: cell(7),
            source,
        });
    }
    if !problems.is_empty() {
        return Err(SheetError { more: total - problems.len(), problems });
    }
    if tasks.is_empty() {
        return Err(SheetError::whole("表格中没有任务（表头下方没有数据行）"));
    }
    Ok((tasks, layout))
}

/// A header cell compared loosely: white space dropped, full-width brackets kept.
fn header_text(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A cell as text: numbers without a needless `.0`, days as ISO 8601.
pub(crate) fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// 配合单位 as offices list them: `市统计局、市财政局`, one per line, or with commas.
pub fn split_units(s: &str) -> Vec<String> {
    s.split(['、', '，', ',', '；', ';', '/', '\n'])
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A status as offices write it.
pub fn parse_status(s: &str) -> Option<TaskStatus> {
    Some(match s.trim() {
        "未启动" | "未开始" | "未开展" => TaskStatus::NotStarted,
        "推进中" | "进行中" | "正在推进" | "已启动" | "推进" => {
            TaskStatus::InProgress
        }
        "已完成" | "完成" | "已办结" | "办结" => TaskStatus::Done,
        "暂缓" | "暂停" | "已暂停" | "暂缓推进" => TaskStatus::Suspended,
        other => return TaskStatus::parse(other),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, task: Task) -> TaskRow {
        TaskRow {
            id,
            ord: task.ord.expect("an ord"),
            task,
            document_title: None,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    fn full_task() -> Task {
        Task {
            ord: Some(1),
            title: "地区生产总值增长6%左右".into(),
            lead_unit: "市发展改革委".into(),
            assisting_units: vec!["市统计局".into(), "各区县人民政府".into()],
            start_date: Some("2026-01-01".into()),
            deadline: Some("2026-12-31".into()),
            deadline_text: "2026年底".into(),
            status: TaskStatus::InProgress,
            percent: Some(42.5),
            progress: "一季度增长5.8%。\n二季度增长6.1%。".into(),
            problems: "工业投资偏弱".into(),
            next_steps: "抓好项目调度".into(),
            source: Some(TaskSource {
                document_id: Some(3),
                start: Some(120),
                end: Some(186),
                text: "全市地区生产总值增长6%左右，城镇调查失业率控制在5.5%以内。".into(),
            }),
        }
    }

    #[test]
    fn a_sheet_comes_back_as_it_went_out() {
        let tasks = vec![
            full_task(),
            Task {
                ord: Some(2),
                title: "持续优化营商环境".into(),
                lead_unit: "市营商环境局".into(),
                deadline_text: "长期坚持".into(),
                ..Task::default()
            },
            Task {
                ord: Some(7),
                title: "建成5G基站300个".into(),
                deadline: Some("2026-06-30".into()),
                deadline_text: "6月底".into(),
                status: TaskStatus::Done,
                percent: Some(100.0),
                source: Some(TaskSource {
                    text: "新建5G基站300个".into(),
                    ..TaskSource::default()
                }),
                ..Task::default()
            },
        ];
        let rows: Vec<TaskRow> =
            tasks.iter().enumerate().map(|(i, t)| row(i as i64 + 1, t.clone())).collect();
        let bytes = write(&rows).expect("written");
        let back = read(&bytes, 1999).expect("read back");
        let mut expected = tasks;
        // `6月底` depends on a year from elsewhere: the sheet carries the date instead.
        expected[2].deadline_text = "2026-06-30".into();
        assert_eq!(back, expected);
        // Twice is the same as once.
        let again: Vec<TaskRow> =
            back.iter().enumerate().map(|(i, t)| row(i as i64 + 1, t.clone())).collect();
        assert_eq!(read(&write(&again).expect("written"), 1999).expect("read"), expected);
    }

    /// A sheet made by hand, as an office would: a title row and aliases in the header,
    /// with its rows written by `fill`.
    fn office_sheet_with(fill: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "2026年重点工作任务台账").expect("a cell");
        let header = [
            "序号",
            "重点任务",
            "牵头单位",
            "配合单位",
            "完成时限",
            "进展情况",
            "存在问题",
            "下一步打算",
            "备注",
        ];
        for (c, h) in header.iter().enumerate() {
            sheet.write_string(1, c as u16, *h).expect("a cell");
        }
        fill(sheet);
        book.save_to_buffer().expect("saved")
    }

    /// An office sheet whose cells are all text.
    fn office_sheet(cells: &[(u32, u16, &str)]) -> Vec<u8> {
        office_sheet_with(|sheet| {
            for &(r, c, text) in cells {
                sheet.write_string(r, c, text).expect("a cell");
            }
        })
    }

    #[test]
    fn an_office_sheet_is_read() {
        // Dates as Excel dates, numbers as numbers, units on several lines.
        let mut bytes = office_sheet_with(|sheet| {
            sheet.write_number(2, 0, 1.0).expect("a cell");
            sheet.write_string(2, 1, "新增城镇就业1万人").expect("a cell");
            sheet.write_string(2, 2, "市人社局").expect("a cell");
            sheet.write_string(2, 3, "市财政局，各区县\n市教育局").expect("a cell");
            let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 9, 30).expect("a date");
            let fmt = Format::new().set_num_format("yyyy-mm-dd");
            sheet.write_datetime_with_format(2, 4, &date, &fmt).expect("a cell");
            sheet.write_string(3, 1, "办好民生实事10件").expect("a cell");
            sheet.write_string(3, 4, "10月底").expect("a cell");
        });
        let tasks = read(&bytes, 2026).expect("read");
        assert_eq!(tasks.len(), 2);
        assert_eq!(tasks[0].ord, Some(1));
        assert_eq!(tasks[0].assisting_units, ["市财政局", "各区县", "市教育局"]);
        assert_eq!(tasks[0].deadline.as_deref(), Some("2026-09-30"));
        assert_eq!(tasks[1].ord, None, "numbered when added");
        assert_eq!(tasks[1].deadline.as_deref(), Some("2026-10-31"));
        assert_eq!(tasks[1].deadline_text, "10月底");
        bytes.truncate(100);
        assert!(read(&bytes, 2026).is_err());
    }

    #[track_caller]
    fn refused(bytes: &[u8], expected: &[&str]) {
        let e = read(bytes, 2026).expect_err("refused");
        let got: Vec<String> = e.problems.iter().map(ToString::to_string).collect();
        assert_eq!(got, expected, "{e}");
        assert!(e.to_string().starts_with("表格有误，未导入任何任务："));
    }

    #[test]
    fn malformed_sheets_are_refused_with_row_and_column() {
        refused(
            &office_sheet(&[
                (2, 1, "任务一"),
                (2, 4, "2026年底"),
                (4, 0, "五"),
                (4, 1, "任务三"),
                (4, 4, "下月"),
                (5, 4, "2026年底"),
            ]),
            &[
                "第5行 A列（序号）：序号应为正整数，实为“五”",
                "第5行 E列（完成时限）：无法识别的日期“下月”",
                "第6行 B列（目标任务）：目标任务不能为空",
            ],
        );

        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for (c, h) in ["序号", "目标任务", "单位", "配合单位", "完成时限"].iter().enumerate()
        {
            sheet.write_string(0, c as u16, *h).expect("a cell");
        }
        refused(
            &book.save_to_buffer().expect("saved"),
            &[
                "第1行 C列（责任单位）：表头应为“责任单位”，实为“单位”",
                "第1行 F列（进展情况）：表头应为“进展情况”，实为空",
                "第1行 G列（存在问题）：表头应为“存在问题”，实为空",
                "第1行 H列（下步打算）：表头应为“下步打算”，实为空",
            ],
        );

        refused(&office_sheet(&[]), &["表格中没有任务（表头下方没有数据行）"]);
        refused(b"not a workbook", &["无法读取文件：不是有效的 Excel（.xlsx）文件"]);

        // taizhang's own columns are checked too.
        let rows = vec![row(1, full_task())];
        let good = write(&rows).expect("written");
        assert!(read(&good, 2026).is_ok());
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for (c, h) in COLUMNS.iter().chain(EXTRA.iter()).enumerate() {
            sheet.write_string(0, c as u16, *h).expect("a cell");
        }
        for (c, v) in [(1, "任务"), (8, "搁置"), (9, "120%"), (10, "明年"), (12, "12#b1-2")] {
            sheet.write_string(1, c, v).expect("a cell");
        }
        refused(
            &book.save_to_buffer().expect("saved"),
            &[
                "第2行 I列（状态）：无法识别的状态“搁置”（可填：未启动、推进中、已完成、暂缓）",
                "第2行 J列（完成进度（%））：完成进度应为0到100之间的数，实为“120%”",
                "第2行 K列（开始时间）：无法识别的日期“明年”（应为具体日期，如2026-01-01）",
                "第2行 M列（来源位置）：来源位置应形如“/documents/12#b100-180”，实为“12#b1-2”",
            ],
        );
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(4), "E");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }

    #[test]
    fn units_and_statuses() {
        assert_eq!(split_units(" 市统计局、 市财政局；;"), ["市统计局", "市财政局"]);
        assert!(split_units("").is_empty());
        assert_eq!(parse_status("进行中"), Some(TaskStatus::InProgress));
        assert_eq!(parse_status("done"), Some(TaskStatus::Done));
        assert_eq!(parse_status("搁置"), None);
    }
}
