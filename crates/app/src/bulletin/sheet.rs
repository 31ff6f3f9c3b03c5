//! A bulletin as an `.xlsx` workbook: 预警 (each warned task by unit), 得分排名 (the run's
//! scores) and 红黑榜 (the lists with their reasons, as an assessment's workbook has it).

use rust_xlsxwriter::{Workbook, XlsxError};

use super::Bulletin;
use crate::assess::sheet::write_lists;
use crate::ledger::sheet::Styles;

/// The workbook of `b`. A bulletin without scores has the two score sheets with their
/// headers only.
pub fn write_xlsx(b: &Bulletin) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let styles = Styles::new();
    let (wrap, points) = (&styles.wrap, &styles.points);

    let headers = [
        "责任单位",
        "序号",
        "目标任务",
        "完成时限",
        "序时进度（%）",
        "完成进度（%）",
        "落后（个百分点）",
        "预警",
        "说明",
    ];
    let widths = [20.0, 6.0, 40.0, 14.0, 10.0, 10.0, 10.0, 8.0, 24.0];
    let sheet = styles.sheet(&mut book, "预警", &headers, &widths)?;
    let mut r = 1;
    for u in &b.units {
        for t in &u.tasks {
            sheet.write_string_with_format(r, 0, u.name(), wrap)?;
            sheet.write_number_with_format(r, 1, t.ord as f64, wrap)?;
            sheet.write_string_with_format(r, 2, &t.title, wrap)?;
            sheet.write_string_with_format(r, 3, t.deadline_shown(), wrap)?;
            if let Some(e) = t.elapsed {
                sheet.write_number_with_format(r, 4, e, points)?;
            }
            sheet.write_number_with_format(r, 5, t.done, points)?;
            if let Some(l) = t.lag {
                sheet.write_number_with_format(r, 6, l, points)?;
            }
            sheet.write_string_with_format(r, 7, t.light_label, wrap)?;
            sheet.write_string_with_format(r, 8, t.lag_shown(), wrap)?;
            r += 1;
        }
    }
    sheet.set_freeze_panes(1, 0)?;

    let headers = ["名次", "对象", "总分", "目标完成情况", "一票否决"];
    let sheet = styles.sheet(&mut book, "得分排名", &headers, &[8.0, 20.0, 10.0, 12.0, 40.0])?;
    let scores = b.assessment.as_ref().map_or(&[][..], |a| &a.scores);
    for (i, s) in scores.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_number_with_format(r, 0, s.rank as f64, wrap)?;
        sheet.write_string_with_format(r, 1, &s.subject, wrap)?;
        sheet.write_number_with_format(r, 2, s.total, points)?;
        sheet.write_string_with_format(r, 3, s.met_shown(), wrap)?;
        sheet.write_string_with_format(r, 4, s.vetoes.join("；"), wrap)?;
    }
    sheet.set_freeze_panes(1, 0)?;

    let (red, black, exempted) = match &b.assessment {
        Some(a) => (&a.red[..], &a.black[..], &a.exempted[..]),
        None => (&[][..], &[][..], &[][..]),
    };
    write_lists(&mut book, &styles, red, black, exempted)?;
    book.save_to_buffer()
}
