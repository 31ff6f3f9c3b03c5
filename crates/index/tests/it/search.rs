//! What a query matches, how hits rank, and what their snippets show.

use taizhang_index::{Error, Hit, IndexDoc, SearchQuery, UserError};

use crate::{doc, find, ids, index_of};

/// Fictional sentences: 1 has the whole phrase; 2 has its parts apart; 3 has it broken
/// by punctuation; 4 mixes Latin letters and numbers.
fn fixture() -> Vec<IndexDoc> {
    vec![
        doc(1, "某市政府工作报告", "今年要主动融入成渝地区双城经济圈建设，推动高质量发展。"),
        doc(
            2,
            "某县国民经济和社会发展规划",
            "加强与成渝两地合作，建设区域性经济圈，深化双城联动。",
        ),
        doc(3, "某区行动方案", "依托成渝地区、双城经济圈等平台招商引资。"),
        doc(
            4,
            "Digital Economy 行动计划",
            "到2025年底建成５Ｇ基站1.2万个，数字经济核心产业增加值增长13.5%。",
        ),
    ]
}

#[test]
fn a_chinese_phrase_matches_only_where_it_appears_whole() {
    let index = index_of(&fixture());
    assert_eq!(find(&index, "成渝地区双城经济圈"), [1]);
    assert_eq!(find(&index, "双城经济圈"), [1, 3]);
}

#[test]
fn space_separated_words_must_all_appear_anywhere() {
    let index = index_of(&fixture());
    assert_eq!(find(&index, "成渝 经济圈"), [1, 2, 3]);
    assert_eq!(find(&index, "成渝 双城 联动"), [2]);
    assert_eq!(find(&index, "成渝 数字经济"), Vec::<i64>::new());
}

#[test]
fn quotes_keep_a_phrase_with_spaces_together() {
    let index = index_of(&[
        doc(1, "a", "the digital economy grows"),
        doc(2, "b", "digital twins of the economy"),
    ]);
    assert_eq!(find(&index, "\"digital economy\""), [1]);
    assert_eq!(find(&index, "digital economy"), [1, 2]);
}

#[test]
fn single_characters_numbers_and_full_width_forms_are_found() {
    let index = index_of(&fixture());
    assert_eq!(find(&index, "圈"), [1, 2, 3]);
    assert_eq!(find(&index, "2025年"), [4]);
    assert_eq!(find(&index, "5g基站"), [4]);
    assert_eq!(find(&index, "１３．５"), [4]);
    assert_eq!(find(&index, "DIGITAL"), [4]);
}

#[test]
fn filters_combine_with_the_text_and_with_each_other() {
    let with = |id, region: &str, kind: &str, year| IndexDoc {
        region_code: Some(region.to_owned()),
        kind: Some(kind.to_owned()),
        year: Some(year),
        ..doc(id, "规划", "推进乡村振兴")
    };
    let index = index_of(&[
        with(1, "510100", "work_report", 2025),
        with(2, "510100", "plan_outline", 2021),
        with(3, "500000", "work_report", 2025),
        doc(4, "其他", "推进乡村振兴"),
    ]);
    let query = |region: Option<&str>, kind: Option<&str>, year| SearchQuery {
        region_code: region.map(str::to_owned),
        kind: kind.map(str::to_owned),
        year,
        limit: 10,
        ..SearchQuery::new("乡村振兴")
    };
    assert_eq!(ids(&index, &query(None, None, None)), [1, 2, 3, 4]);
    assert_eq!(ids(&index, &query(Some("510100"), None, None)), [1, 2]);
    assert_eq!(ids(&index, &query(None, Some("work_report"), None)), [1, 3]);
    assert_eq!(ids(&index, &query(None, None, Some(2021))), [2]);
    assert_eq!(ids(&index, &query(Some("510100"), Some("work_report"), Some(2025))), [1]);
    assert_eq!(ids(&index, &query(Some("999999"), None, None)), Vec::<i64>::new());
    // A blank text lists what the filters let through.
    let listing = SearchQuery { text: String::new(), ..query(None, Some("work_report"), None) };
    assert_eq!(ids(&index, &listing), [1, 3]);
}

#[test]
fn a_region_filter_can_take_in_the_regions_below() {
    let at = |id, region: &str| IndexDoc {
        region_code: Some(region.to_owned()),
        ..doc(id, "报告", "推进乡村振兴")
    };
    let index = index_of(&[
        at(1, "520300"),
        at(2, "520304"),
        at(3, "520000"),
        at(4, "510100"),
        doc(5, "报告", "推进乡村振兴"),
    ]);
    let within = |code: &str| SearchQuery {
        within_region: Some(code.to_owned()),
        limit: 10,
        ..SearchQuery::new("乡村振兴")
    };
    assert_eq!(ids(&index, &within("520300")), [1, 2], "遵义市 and 播州区 in it");
    assert_eq!(ids(&index, &within("520304")), [2]);
    assert_eq!(ids(&index, &within("520000")), [1, 2, 3], "贵州省 and everything in it");
    let exact = SearchQuery {
        region_code: Some("520300".into()),
        limit: 10,
        ..SearchQuery::new("乡村振兴")
    };
    assert_eq!(ids(&index, &exact), [1], "the exact filter stays exact");
}

#[test]
fn a_match_in_the_title_ranks_above_one_in_the_body() {
    let index = index_of(&[
        doc(1, "关于推进工作的通知", "全面推进乡村振兴，做好相关工作。"),
        doc(2, "乡村振兴行动方案", "做好相关工作，全面推进各项任务。"),
    ]);
    let hits = index.search(&SearchQuery::new("乡村振兴")).expect("valid query");
    let order: Vec<i64> = hits.iter().map(|h| h.id).collect();
    assert_eq!(order, [2, 1]);
}

#[test]
fn paging_with_limit_and_offset() {
    let docs: Vec<IndexDoc> =
        (1..=25).map(|id| doc(id, "规划", &format!("第{id}项：推进碳达峰行动。"))).collect();
    let index = index_of(&docs);
    let page = |offset| SearchQuery { limit: 10, offset, ..SearchQuery::new("碳达峰") };
    let mut all = Vec::new();
    for offset in [0, 10, 20] {
        all.extend(index.search(&page(offset)).expect("valid query").iter().map(|h| h.id));
    }
    all.sort_unstable();
    assert_eq!(all, (1..=25).collect::<Vec<i64>>());
    assert!(index.search(&page(30)).expect("valid query").is_empty());
    let none = SearchQuery { limit: 0, ..page(0) };
    assert!(index.search(&none).expect("valid query").is_empty());
}

#[test]
fn bad_query_syntax_is_a_user_error() {
    let index = index_of(&fixture());
    let error =
        index.search(&SearchQuery::new("\"成渝地区")).expect_err("an unclosed quote is refused");
    assert!(error.is_user_error());
    assert!(matches!(error, Error::User(UserError::BadQuery { .. })));
    let error = index.search(&SearchQuery::new("，。")).expect_err("punctuation alone is refused");
    assert!(error.is_user_error());
}

/// The highlighted substrings of a hit's snippet.
fn marked(hit: &Hit) -> Vec<&str> {
    hit.highlights.iter().map(|&(start, end)| &hit.snippet[start..end]).collect()
}

#[test]
fn snippet_highlights_land_on_the_matched_words() {
    let index = index_of(&fixture());
    let hits = index.search(&SearchQuery::new("成渝地区双城经济圈")).expect("valid query");
    assert_eq!(marked(&hits[0]), ["成渝地区双城经济圈"]);

    let hits = index.search(&SearchQuery::new("成渝 经济圈")).expect("valid query");
    for hit in &hits {
        let words = marked(hit);
        assert!(!words.is_empty(), "hit {} has highlights", hit.id);
        for word in words {
            assert!(["成渝", "经济圈"].contains(&word), "{word:?} in hit {}", hit.id);
        }
    }

    // Folded forms are highlighted as written in the document.
    let hits = index.search(&SearchQuery::new("5g 13.5")).expect("valid query");
    assert_eq!(marked(&hits[0]), ["５Ｇ", "13.5"]);
}

#[test]
fn a_long_text_gets_a_passage_around_the_match() {
    let filler = "坚持稳中求进工作总基调，完整准确全面贯彻新发展理念。".repeat(40);
    let text = format!("{filler}加快发展新质生产力，培育壮大新兴产业。{filler}");
    let index = index_of(&[doc(1, "报告", &text)]);
    let hits = index.search(&SearchQuery::new("新质生产力")).expect("valid query");
    let hit = &hits[0];
    assert!(hit.snippet.len() < 400, "a passage, not the text: {}", hit.snippet);
    assert!(hit.snippet.starts_with('…') && hit.snippet.ends_with('…'));
    assert_eq!(marked(hit), ["新质生产力"]);
}

#[test]
fn a_match_in_the_title_only_shows_the_start_of_the_text() {
    let index = index_of(&[doc(1, "碳达峰实施方案", "为深入贯彻落实党中央决策部署，制定本方案。")]);
    let hits = index.search(&SearchQuery::new("碳达峰")).expect("valid query");
    assert_eq!(hits[0].snippet, "为深入贯彻落实党中央决策部署，制定本方案。");
    assert!(hits[0].highlights.is_empty());
}

#[test]
fn snippet_html_escapes_the_text() {
    let index = index_of(&[doc(1, "t", "<script>alert('x')</script> & 高质量发展 \"引号\"")]);
    let hits = index.search(&SearchQuery::new("高质量发展")).expect("valid query");
    assert_eq!(
        hits[0].snippet_html(),
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; <mark>高质量发展</mark> &quot;引号&quot;"
    );
    let hits = index.search(&SearchQuery::new("script")).expect("valid query");
    assert_eq!(
        hits[0].snippet_html(),
        "&lt;<mark>script</mark>&gt;alert(&#39;x&#39;)&lt;/<mark>script</mark>&gt; &amp; 高质量发展 &quot;引号&quot;"
    );
}
