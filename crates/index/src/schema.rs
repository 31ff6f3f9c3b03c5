//! The fields of the index.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::tokenize::INDEX_TOKENIZER;

/// Handles on the fields of [`schema`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fields {
    pub(crate) id: Field,
    pub(crate) title: Field,
    pub(crate) text: Field,
    pub(crate) region_code: Field,
    /// The region's code and the codes of the regions above it, for a filter that takes
    /// in a region and everything below it.
    pub(crate) region_within: Field,
    pub(crate) region_name: Field,
    pub(crate) kind: Field,
    pub(crate) year: Field,
    pub(crate) date: Field,
}

/// The schema, and handles on its fields.
pub(crate) fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let searchable = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(INDEX_TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let fields = Fields {
        id: builder.add_i64_field("id", INDEXED | STORED | FAST),
        title: builder.add_text_field("title", searchable.clone()),
        text: builder.add_text_field("text", searchable),
        region_code: builder.add_text_field("region_code", STRING | STORED),
        region_within: builder.add_text_field("region_within", STRING),
        region_name: builder.add_text_field("region_name", STORED),
        kind: builder.add_text_field("kind", STRING | STORED),
        year: builder.add_i64_field("year", INDEXED | STORED | FAST),
        date: builder.add_text_field("date", STORED),
    };
    (builder.build(), fields)
}
