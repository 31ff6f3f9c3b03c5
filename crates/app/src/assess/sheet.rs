//! An assessment as an `.xlsx` workbook: the scores (名次, 对象, 总分, one column per
//! indicator, 目标, 一票否决), the explanations of every item, and the red and black lists.

use rust_xlsxwriter::{Workbook, XlsxError};

use super::score::{Assessment, ListEntry};
use crate::ledger::sheet::Styles;

/// The workbook of `assessment`.
pub fn write(assessment: &Assessment) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let styles = Styles::new();
    let (wrap, points) = (&styles.wrap, &styles.points);

    let names: Vec<&str> = assessment
        .subjects
        .first()
        .map(|s| s.items.iter().map(|i| i.name.as_str()).collect())
        .unwrap_or_default();
    let mut headers = vec!["名次", "对象", "总分"];
    headers.extend(&names);
    headers.extend(["目标", "一票否决"]);
    let sheet = styles.sheet(&mut book, "得分", &headers, &[8.0, 20.0])?;
    for (i, s) in assessment.subjects.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_number_with_format(r, 0, s.rank as f64, wrap)?;
        sheet.write_string_with_format(r, 1, &s.subject, wrap)?;
        sheet.write_number_with_format(r, 2, s.total, points)?;
        for (j, item) in s.items.iter().enumerate() {
            sheet.write_number_with_format(r, 3 + j as u16, item.points, points)?;
        }
        let col = 3 + s.items.len() as u16;
        let met = match s.met {
            Some(true) => "完成",
            Some(false) => "未完成",
            None => "",
        };
        sheet.write_string_with_format(r, col, met, wrap)?;
        sheet.write_string_with_format(r, col + 1, s.vetoes.join("；"), wrap)?;
    }
    sheet.set_freeze_panes(1, 2)?;

    let headers = ["对象", "指标", "得分", "满分", "说明"];
    let sheet = styles.sheet(&mut book, "得分说明", &headers, &[20.0, 20.0, 8.0, 8.0, 60.0])?;
    let mut r = 1;
    for s in &assessment.subjects {
        for item in &s.items {
            sheet.write_string_with_format(r, 0, &s.subject, wrap)?;
            sheet.write_string_with_format(r, 1, &item.name, wrap)?;
            sheet.write_number_with_format(r, 2, item.points, points)?;
            sheet.write_number_with_format(r, 3, item.full_marks, points)?;
            sheet.write_string_with_format(r, 4, &item.explanation, wrap)?;
            r += 1;
        }
    }
    sheet.set_freeze_panes(1, 0)?;

    write_lists(&mut book, &styles, &assessment.red, &assessment.black, &assessment.exempted)?;
    book.save_to_buffer()
}

/// The sheet 红黑榜 of `book`: 榜单, 对象, 名次, 理由, a row for each subject on the red
/// list, the black list, and kept off the black list.
pub(crate) fn write_lists(
    book: &mut Workbook,
    styles: &Styles,
    red: &[ListEntry],
    black: &[ListEntry],
    exempted: &[ListEntry],
) -> Result<(), XlsxError> {
    let headers = ["榜单", "对象", "名次", "理由"];
    let sheet = styles.sheet(book, "红黑榜", &headers, &[10.0, 20.0, 8.0, 60.0])?;
    let wrap = &styles.wrap;
    let lists: [(&str, &[ListEntry]); 3] = [("红榜", red), ("黑榜", black), ("免列黑榜", exempted)];
    let mut r = 1;
    for (list, entries) in lists {
        for e in entries {
            sheet.write_string_with_format(r, 0, list, wrap)?;
            sheet.write_string_with_format(r, 1, &e.subject, wrap)?;
            sheet.write_number_with_format(r, 2, e.rank as f64, wrap)?;
            sheet.write_string_with_format(r, 3, &e.reason, wrap)?;
            r += 1;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use calamine::{Data, Reader, Xlsx};

    use super::*;
    use crate::assess::{Input, Scheme, assess};

    #[test]
    fn the_workbook_holds_scores_explanations_and_lists() {
        let scheme = Scheme::from_json(
            r#"{"name": "示例", "indicators": [
                {"key": "gdp", "name": "地区生产总值", "weight": 10, "method": {"kind": "ratio", "cap": 1.2}}
            ], "lists": {"red": {"top_n": 1}, "black": {"bottom_n": 1}}}"#,
        )
        .expect("valid");
        let a = assess(
            &scheme,
            &[
                Input::value("甲县", "gdp", Some(100.0), Some(104.0)),
                Input::value("乙县", "gdp", Some(100.0), Some(90.0)),
            ],
        )
        .expect("assessed");
        let bytes = write(&a).expect("written");
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).expect("an xlsx");
        assert_eq!(book.sheet_names(), ["得分", "得分说明", "红黑榜"]);
        let scores = book.worksheet_range("得分").expect("scores");
        assert_eq!(scores.get((0, 3)), Some(&Data::String("地区生产总值".into())));
        // 甲: 104/100 × 10 = 10.4, first.
        assert_eq!(scores.get((1, 1)), Some(&Data::String("甲县".into())));
        assert_eq!(scores.get((1, 2)), Some(&Data::Float(10.4)));
        let lists = book.worksheet_range("红黑榜").expect("lists");
        assert_eq!(lists.get((1, 0)), Some(&Data::String("红榜".into())));
        assert_eq!(lists.get((2, 1)), Some(&Data::String("乙县".into())));
        let why = book.worksheet_range("得分说明").expect("explanations");
        assert_eq!(
            why.get((1, 4)),
            Some(&Data::String(
                "目标100，实际104，完成率104%，得10.4分（满分10分，封顶1.2倍）".into()
            ))
        );
    }
}
