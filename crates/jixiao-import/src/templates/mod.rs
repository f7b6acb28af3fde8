//! Excel templates for small teams that keep records by hand: one workbook per canonical kind.
//!
//! The first sheet's header row holds the canonical column names exactly (so the sheet saved
//! as "CSV UTF-8" imports as is), each header cell carries a note with the column's label in
//! the chosen language, whether it is required and its format, and one example row follows.
//! The header is frozen, and every column is formatted as text so that Excel keeps dates,
//! times and leading zeros as typed instead of converting them. A second sheet (说明 / Notes)
//! describes each column and the general rules.

mod column;
mod specs;

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Note, Workbook, Worksheet};

use crate::canonical::Kind;
use crate::export::{ExportError, Lang};
use column::{Req, Spec};
use specs::{kind_label, specs};

/// The template workbook (.xlsx bytes) of `kind`, labelled in `lang`.
pub fn workbook(kind: Kind, lang: Lang) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    data_sheet(book.add_worksheet(), kind, lang)?;
    notes_sheet(book.add_worksheet(), kind, lang)?;
    Ok(book.save_to_buffer()?)
}

/// The download name of `kind`'s template, for example `jixiao-tickets-template.xlsx`.
pub fn file_name(kind: Kind) -> String {
    format!("jixiao-{}-template.xlsx", kind.as_str())
}

fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

fn required(lang: Lang, req: Req) -> String {
    match req {
        Req::Yes => pick(lang, "必填", "required").to_string(),
        Req::No => pick(lang, "选填", "optional").to_string(),
        Req::When(zh, en) => match lang {
            Lang::Zh => format!("必填（{zh}）"),
            Lang::En => format!("required ({en})"),
        },
    }
}

fn label(lang: Lang, spec: &Spec) -> &'static str {
    pick(lang, spec.zh, spec.en)
}

/// Header, notes, example row; the sheet is named after the kind so a saved CSV is recognisable.
fn data_sheet(sheet: &mut Worksheet, kind: Kind, lang: Lang) -> Result<(), ExportError> {
    sheet.set_name(kind.as_str())?;
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0x00DD_EBF7))
        .set_border_bottom(FormatBorder::Thin);
    // "@" is Excel's text format: typed dates and numbers stay exactly as typed.
    let text = Format::new().set_num_format("@");
    for (c, spec) in specs(kind).iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        let (zh_fmt, en_fmt) = spec.fmt.describe();
        let note = Note::new(format!(
            "{}\n{}\n{}",
            label(lang, spec),
            required(lang, spec.req),
            pick(lang, zh_fmt, en_fmt)
        ))
        .set_author("Jixiao")
        .set_width(260)
        .set_height(110);
        sheet.set_column_format(c, &text)?;
        sheet.set_column_width(c, (spec.name.len() as f64 + 4.0).max(14.0))?;
        sheet.write_string_with_format(0, c, spec.name, &header)?;
        sheet.insert_note(0, c, &note)?;
        if !spec.example.is_empty() {
            sheet.write_string_with_format(1, c, spec.example, &text)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// One row per column (name, label, required, format, example), then the general rules.
fn notes_sheet(sheet: &mut Worksheet, kind: Kind, lang: Lang) -> Result<(), ExportError> {
    sheet.set_name(pick(lang, "说明", "Notes"))?;
    let title = Format::new().set_bold().set_font_size(14);
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0x00DD_EBF7))
        .set_border_bottom(FormatBorder::Thin);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let (zh_kind, en_kind) = kind_label(kind);
    sheet.write_string_with_format(
        0,
        0,
        match lang {
            Lang::Zh => format!("绩效导入模板：{zh_kind}（{}）", kind.as_str()),
            Lang::En => format!("Jixiao import template: {en_kind} ({})", kind.as_str()),
        },
        &title,
    )?;
    let heads = match lang {
        Lang::Zh => ["列名", "含义", "是否必填", "格式", "示例"],
        Lang::En => ["Column", "Meaning", "Required", "Format", "Example"],
    };
    for (c, h) in heads.iter().enumerate() {
        sheet.write_string_with_format(2, c as u16, *h, &header)?;
    }
    for (w, width) in [22.0, 20.0, 30.0, 60.0, 22.0].into_iter().enumerate() {
        sheet.set_column_width(w as u16, width)?;
    }
    let mut row = 3;
    for spec in specs(kind) {
        let (zh_fmt, en_fmt) = spec.fmt.describe();
        sheet.write_string_with_format(row, 0, spec.name, &wrap)?;
        sheet.write_string_with_format(row, 1, label(lang, spec), &wrap)?;
        sheet.write_string_with_format(row, 2, required(lang, spec.req), &wrap)?;
        sheet.write_string_with_format(row, 3, pick(lang, zh_fmt, en_fmt), &wrap)?;
        sheet.write_string_with_format(row, 4, spec.example, &wrap)?;
        row += 1;
    }
    row += 1;
    for rule in rules(lang) {
        sheet.write_string(row, 0, *rule)?;
        row += 1;
    }
    Ok(())
}

fn rules(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Zh => &[
            "填写规则：",
            "1. 第一行是列名，请勿修改；每条记录一行，示例行可改写或删除。",
            "2. (source, record_id) 唯一标识一条记录：再次导入同一编号会覆盖旧内容，内容相同则不变。",
            "3. 保存时选择“另存为 → CSV UTF-8（逗号分隔）”，再在“导入”页面上传并选择对应类型。",
            "4. 出错的行不会导入，导入结果页列出行号、列名、原值和原因，可下载后修改再导入。",
            "5. 已结账期间的记录会被拒绝，请以调整的方式提交更正。",
        ],
        Lang::En => &[
            "Rules:",
            "1. The first row holds the column names; keep it as is. One record per row; edit or delete the example row.",
            "2. (source, record_id) identifies a record: importing the same id again replaces it, identical content changes nothing.",
            "3. Save as \"CSV UTF-8 (comma delimited)\", then upload it on the Imports page with the matching kind.",
            "4. Rows with errors are not imported; the result page lists row, column, value and reason, downloadable to fix and re-import.",
            "5. Records dated in a closed period are rejected; send corrections as adjustments.",
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_column_is_a_canonical_column_in_order() {
        for &kind in Kind::all() {
            let names: Vec<&str> = specs(kind).iter().map(|s| s.name).collect();
            assert_eq!(names, kind.columns(), "{kind:?}");
        }
    }
}
