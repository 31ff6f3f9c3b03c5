//! The ledger's current view as a spreadsheet: `.xlsx` for Excel and WPS, `.csv` (UTF-8
//! with a byte order mark, so that Excel on Chinese Windows reads it as UTF-8).

use axum::http::header;
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::dto::FactItem;
use crate::labels;

/// The columns, as the header row names them.
const HEADERS: [&str; 15] = [
    "地区",
    "地区代码",
    "文件",
    "文件编号",
    "指标（原文）",
    "指标代码",
    "指标名称",
    "类型",
    "年份",
    "数值",
    "上限",
    "单位",
    "限定",
    "原句",
    "链接",
];

/// One row of cells; numbers stay numbers in the workbook.
enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

fn cells(f: &FactItem) -> [Cell; 15] {
    let text = |s: Option<&str>| s.map_or(Cell::Empty, |s| Cell::Text(s.to_owned()));
    [
        text(f.region.as_ref().and_then(|r| r.name.as_deref())),
        text(f.region.as_ref().map(|r| r.code.as_str())),
        text(f.document_title.as_deref()),
        Cell::Number(f.document_id as f64),
        Cell::Text(f.indicator.clone()),
        text(f.indicator_key.as_deref()),
        text(f.indicator_name),
        Cell::Text(if f.kind == "target" { "目标" } else { "实际" }.to_owned()),
        f.year.map_or(Cell::Empty, |y| Cell::Number(f64::from(y))),
        Cell::Number(f.value),
        f.value_max.map_or(Cell::Empty, Cell::Number),
        Cell::Text(f.unit.clone()),
        Cell::Text(labels::qualifier_named(f.qualifier).to_owned()),
        text(f.sentence.as_deref()),
        Cell::Text(format!("/documents/{}#f{}", f.document_id, f.ord)),
    ]
}

/// The facts as an `.xlsx` workbook with one sheet, 指标台账: a bold frozen header row with
/// a filter, numbers as numbers.
pub(crate) fn xlsx(facts: &[FactItem]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("指标台账")?;
    let bold = Format::new().set_bold();
    for (col, h) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *h, &bold)?;
    }
    for (i, f) in facts.iter().enumerate() {
        let row = i as u32 + 1;
        for (col, cell) in cells(f).into_iter().enumerate() {
            let col = col as u16;
            match cell {
                Cell::Text(s) => {
                    sheet.write_string(row, col, s)?;
                }
                Cell::Number(n) => {
                    sheet.write_number(row, col, n)?;
                }
                Cell::Empty => {}
            }
        }
    }
    for (col, width) in
        [10, 9, 30, 8, 24, 18, 18, 6, 6, 10, 8, 8, 6, 60, 22].into_iter().enumerate()
    {
        sheet.set_column_width(col as u16, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, facts.len() as u32, HEADERS.len() as u16 - 1)?;
    book.save_to_buffer()
}

/// The facts as CSV, UTF-8 with a byte order mark.
pub(crate) fn csv(facts: &[FactItem]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    w.write_record(HEADERS)?;
    for f in facts {
        w.write_record(cells(f).iter().map(|c| match c {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => labels::number(*n),
            Cell::Empty => String::new(),
        }))?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// `bytes` as a download named `name` (RFC 5987 for the Chinese), `fallback` for clients
/// that read only the ASCII name.
pub(crate) fn download(content_type: &str, fallback: &str, name: &str, bytes: Vec<u8>) -> Response {
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"),
            ),
        ],
        bytes,
    )
        .into_response()
}
