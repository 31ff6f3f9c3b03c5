//! The project library (项目库): the page `/projects` (filters by region, stage, type and
//! year, the 一图三清单 lists, each project's timeline with its sources, a form to move a
//! project to a stage by hand), `/projects.xlsx`, and the API under `/api/v1/projects`.
//!
//! Planners change the library in three ways, each from a form and the API: move a project
//! to a stage by hand (`App::set_project_stage`), import the library's sheet
//! (`App::import_project_sheet`: projects entered by hand such as the 拟招企业, stages,
//! notes), and remove what was entered by hand (`App::delete_project_entry`). The site's
//! stages are edited on `/projects/stages`.

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{Form, Multipart, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use taizhang_app::auth::Actor;
use taizhang_app::projects::{
    LibraryFilter, LibraryProject, Milestone, ProjectImport, ProjectList, SiteStage, timeline,
    write_sheet,
};
use taizhang_extract::{ProjectCategory, Stage};
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::User;
use crate::dto::{given, number, region_prefix};
use crate::error::ErrorBody;
use crate::export::download;
use crate::extractors::Q;
use crate::ledger::{json_body, sheet_upload, url};
use crate::pages::{Choice, PageResult, Pager, form_body, render};
use crate::{ApiError, Ctx};

// ---- the JSON API ----

#[derive(OpenApi)]
#[openapi(tags((name = "projects", description = "项目库: named projects across documents")))]
struct ProjectsDoc;

/// The project library's API routes with their OpenAPI entries.
pub(crate) fn api() -> OpenApiRouter<Ctx> {
    OpenApiRouter::with_openapi(ProjectsDoc::openapi())
        .routes(routes!(list_projects))
        .routes(routes!(set_stage))
        .routes(routes!(get_stages, put_stages))
        .routes(routes!(import_projects))
        .routes(routes!(delete_entry))
}

type ApiResult<T> = Result<Json<T>, ApiError>;

/// Which projects to list; blank parameters are no filter.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ProjectQuery {
    /// A region code or name; its projects and those of the regions below it.
    region: Option<String>,
    /// A site stage's key (`dream`, `landed` … for the 五库), or an extracted stage
    /// (`planned`, `preparation`, `started`, `under_construction`, `completed`) for projects
    /// not moved by hand.
    stage: Option<String>,
    /// The project type: `reservoir`, `road`, `rail`, `airport`, `power`, `mine`, `park`,
    /// `school`, `hospital`, `plant`, `water` or `other`.
    #[serde(rename = "type")]
    category: Option<String>,
    /// Projects with a milestone in this year (their whole timeline is kept).
    year: Option<String>,
    /// A list of 一图三清单: `building` (在建项目), `pipeline` (在谈/谋划项目) or
    /// `prospects` (拟招企业).
    list: Option<String>,
    /// Projects whose name contains this.
    q: Option<String>,
    /// How many projects to skip (paging).
    offset: Option<String>,
    /// At most this many projects; every one by default.
    limit: Option<String>,
}

impl ProjectQuery {
    async fn filter(&self, ctx: &Ctx) -> Result<LibraryFilter, ApiError> {
        let category = match given(&self.category) {
            None => None,
            Some(s) => Some(ProjectCategory::parse(s).ok_or_else(|| {
                ApiError::bad_request("bad_query", format!("类型（type）没有“{s}”这一种"))
            })?),
        };
        let list = match given(&self.list) {
            None => None,
            Some(s) => Some(ProjectList::parse(s).ok_or_else(|| {
                ApiError::bad_request(
                    "bad_query",
                    format!("清单（list）应为 building、pipeline 或 prospects，实为“{s}”"),
                )
            })?),
        };
        Ok(LibraryFilter {
            region_prefix: region_prefix(ctx.app.store(), &self.region).await?,
            // The app refuses a stage that is neither the site's nor the documents'.
            stage: given(&self.stage).map(str::to_owned),
            category,
            year: number("year", &self.year)?,
            list,
            name: given(&self.q).map(str::to_owned),
        })
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        let v = |p: &Option<String>| given(p).unwrap_or("").to_owned();
        vec![
            ("region", v(&self.region)),
            ("stage", v(&self.stage)),
            ("type", v(&self.category)),
            ("year", v(&self.year)),
            ("list", v(&self.list)),
            ("q", v(&self.q)),
        ]
    }
}

/// A stage of the site's sequence (by default the 五库).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub(crate) struct SiteStageItem {
    /// The key forms and URLs use.
    key: String,
    /// The label (`梦想库`).
    label: String,
    /// The extracted stages it takes in (`planned` … `completed`); none for a stage
    /// reached by hand only.
    #[serde(default)]
    stages: Vec<String>,
}

impl From<&SiteStage> for SiteStageItem {
    fn from(s: &SiteStage) -> SiteStageItem {
        SiteStageItem {
            key: s.key.clone(),
            label: s.label.clone(),
            stages: s.stages.iter().map(|s| s.as_str().to_owned()).collect(),
        }
    }
}

impl SiteStageItem {
    fn stage(&self) -> Result<SiteStage, ApiError> {
        let stages = self
            .stages
            .iter()
            .map(|s| {
                Stage::parse(s).ok_or_else(|| {
                    ApiError::bad_request("invalid", format!("没有“{s}”这个文件阶段"))
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(SiteStage { key: self.key.clone(), label: self.label.clone(), stages })
    }
}

/// Where a project stands among the site's stages.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct SiteStageOfItem {
    /// The site stage's key.
    key: String,
    /// Its label.
    label: String,
    /// Set by hand (手动) rather than by the documents.
    manual: bool,
    /// Why it was set by hand.
    note: String,
    /// When it was set by hand, RFC 3339.
    updated_at: Option<String>,
}

/// One mention of a project: a document's sentence.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct MilestoneItem {
    /// The document.
    document_id: i64,
    /// Its title.
    document_title: Option<String>,
    /// The year the sentence speaks of.
    year: Option<i32>,
    /// The stage it implies (`planned` … `completed`).
    stage: Option<String>,
    /// The name as this document writes it.
    name: String,
    /// The sentence.
    sentence: String,
    /// Byte offset of the name in the document's text.
    start: usize,
    /// Its end.
    end: usize,
    /// The document's page at the name.
    link: String,
}

impl From<&Milestone> for MilestoneItem {
    fn from(m: &Milestone) -> MilestoneItem {
        MilestoneItem {
            document_id: m.document_id,
            document_title: m.document_title.clone(),
            year: m.year,
            stage: m.stage.map(|s| s.as_str().to_owned()),
            name: m.name.clone(),
            sentence: m.sentence.clone(),
            start: m.start,
            end: m.end,
            link: format!("/documents/{}#p{}", m.document_id, m.ord),
        }
    }
}

/// A project of the library (项目库).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ProjectItem {
    /// The name as first written.
    name: String,
    /// The normalised name, which with the region names the project.
    key: String,
    /// The region's code.
    region_code: Option<String>,
    /// The region's name.
    region_name: Option<String>,
    /// The type (`reservoir`, `road` …).
    #[serde(rename = "type")]
    category: String,
    /// The capacity, where stated (`年产30万吨`).
    capacity: Option<String>,
    /// The investment, where stated (`总投资12亿元`).
    investment: Option<String>,
    /// The stage of the latest mention that states one.
    stage: Option<String>,
    /// Its place among the site's stages.
    site_stage: Option<SiteStageOfItem>,
    /// Entered by hand: an imported sheet named it, and no document does.
    by_hand: bool,
    /// On the 拟招企业 list (entered by hand).
    prospect: bool,
    /// The office's note, else why it was moved by hand.
    note: String,
    /// The mentions, by year; none for a project entered by hand.
    milestones: Vec<MilestoneItem>,
}

impl From<&LibraryProject> for ProjectItem {
    fn from(p: &LibraryProject) -> ProjectItem {
        ProjectItem {
            name: p.name.clone(),
            key: p.key.clone(),
            region_code: p.region_code.clone(),
            region_name: p.region_name.clone(),
            category: p.category.as_str().to_owned(),
            capacity: p.capacity.clone(),
            investment: p.investment.clone(),
            stage: p.stage.map(|s| s.as_str().to_owned()),
            site_stage: p.site_stage.as_ref().map(|s| SiteStageOfItem {
                key: s.key.clone(),
                label: s.label.clone(),
                manual: s.manual,
                note: s.note.clone(),
                updated_at: s.updated_at.clone(),
            }),
            by_hand: p.by_hand_only(),
            prospect: p.prospect(),
            note: p.note().to_owned(),
            milestones: p.milestones.iter().map(MilestoneItem::from).collect(),
        }
    }
}

/// The library cut to a filter, with the site's stages.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ProjectLibrary {
    /// The site's stages, in order.
    stages: Vec<SiteStageItem>,
    /// How many projects the filters pass (the page aside).
    total: usize,
    /// The projects, by region and name.
    items: Vec<ProjectItem>,
}

/// The project library (项目库): projects merged across documents, with their timelines.
#[utoipa::path(
    get, path = "/api/v1/projects", tag = "projects", params(ProjectQuery),
    responses(
        (status = 200, body = ProjectLibrary),
        (status = 400, body = ErrorBody, description = "A parameter is malformed or names no region"),
    )
)]
async fn list_projects(State(ctx): State<Ctx>, Q(q): Q<ProjectQuery>) -> ApiResult<ProjectLibrary> {
    let projects = ctx.app.project_library(&q.filter(&ctx).await?).await?;
    let stages = ctx.app.project_stages().await?;
    let offset: usize = number("offset", &q.offset)?.unwrap_or(0);
    let limit: usize = number("limit", &q.limit)?.unwrap_or(usize::MAX);
    Ok(Json(ProjectLibrary {
        stages: stages.iter().map(SiteStageItem::from).collect(),
        total: projects.len(),
        items: projects.iter().skip(offset).take(limit).map(ProjectItem::from).collect(),
    }))
}

/// A project moved to a stage by hand.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub(crate) struct StageBody {
    /// The project's region code; none or empty for documents with no region.
    #[serde(default)]
    region_code: Option<String>,
    /// The project's name (any way its documents write it).
    name: String,
    /// The site stage's key; none or empty gives the project back to its documents.
    #[serde(default)]
    stage: Option<String>,
    /// Why.
    #[serde(default)]
    note: String,
}

/// Moves a project to a site stage by hand (shown as 手动 over the documents' stage), or
/// gives it back to its documents.
#[utoipa::path(
    put, path = "/api/v1/projects/stage", tag = "projects", request_body = StageBody,
    responses(
        (status = 200, body = ProjectItem),
        (status = 400, body = ErrorBody, description = "No such project or stage"),
    )
)]
async fn set_stage(
    State(ctx): State<Ctx>,
    User(actor): User,
    body: Result<Json<StageBody>, JsonRejection>,
) -> ApiResult<ProjectItem> {
    let b = json_body(body)?;
    let p = move_project(&ctx, &actor, &b).await?;
    Ok(Json(ProjectItem::from(&p)))
}

async fn move_project(ctx: &Ctx, actor: &Actor, b: &StageBody) -> Result<LibraryProject, ApiError> {
    let p = ctx
        .app
        .set_project_stage(actor, b.region_code.as_deref(), &b.name, b.stage.as_deref(), &b.note)
        .await?;
    p.ok_or_else(|| ApiError::not_found(format!("项目库中没有“{}”这个项目", b.name)))
}

/// The site's project stages, in order (by default the 五库).
#[utoipa::path(
    get, path = "/api/v1/projects/stages", tag = "projects",
    responses((status = 200, body = Vec<SiteStageItem>))
)]
async fn get_stages(State(ctx): State<Ctx>) -> ApiResult<Vec<SiteStageItem>> {
    let stages = ctx.app.project_stages().await?;
    Ok(Json(stages.iter().map(SiteStageItem::from).collect()))
}

/// Replaces the site's project stages. Keys are ASCII; each extracted stage goes to one
/// site stage at most.
#[utoipa::path(
    put, path = "/api/v1/projects/stages", tag = "projects", request_body = Vec<SiteStageItem>,
    responses((status = 200, body = Vec<SiteStageItem>), (status = 400, body = ErrorBody))
)]
async fn put_stages(
    State(ctx): State<Ctx>,
    User(actor): User,
    body: Result<Json<Vec<SiteStageItem>>, JsonRejection>,
) -> ApiResult<Vec<SiteStageItem>> {
    let stages = json_body(body)?.iter().map(SiteStageItem::stage).collect::<Result<_, _>>()?;
    let stages = ctx.app.set_project_stages(&actor, stages).await?;
    Ok(Json(stages.iter().map(SiteStageItem::from).collect()))
}

/// What an import of the library's sheet did, by project name.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ImportResult {
    /// Projects the library lacked, now entered by hand.
    added: Vec<String>,
    /// Projects whose type, capacity, investment, list or note changed.
    updated: Vec<String>,
    /// Projects moved to another stage by hand.
    moved: Vec<String>,
    /// Rows that changed nothing.
    unchanged: usize,
}

impl From<ProjectImport> for ImportResult {
    fn from(d: ProjectImport) -> ImportResult {
        ImportResult { added: d.added, updated: d.updated, moved: d.moved, unchanged: d.unchanged }
    }
}

/// Imports the project library's `.xlsx` sheet (as `/projects.xlsx` writes it, or an
/// office's own with 项目名称 or 企业名称 and any of 地区, 类型, 建设规模, 投资, 清单, 所在阶段,
/// 备注): projects the library lacks are entered by hand (清单 = 拟招企业, or a sheet named
/// 拟招企业, puts them on that list), a different 所在阶段 moves a project by hand, other
/// values are entered over the documents'. Blank cells change nothing; nothing is deleted.
/// All or nothing: a sheet with any cell at fault is refused with each fault's place.
#[utoipa::path(
    post, path = "/api/v1/projects/import", tag = "projects",
    request_body(content_type = "multipart/form-data", description = "`file` (.xlsx)"),
    responses(
        (status = 200, body = ImportResult),
        (status = 400, body = ErrorBody, description = "The sheet is malformed; nothing was imported"),
    )
)]
async fn import_projects(
    State(ctx): State<Ctx>,
    User(actor): User,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<ImportResult> {
    let (bytes, _) = sheet_upload(form).await?;
    Ok(Json(ctx.app.import_project_sheet(&actor, &bytes).await?.into()))
}

/// A project entered by hand.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub(crate) struct EntryBody {
    /// The project's region code; none or empty for no region.
    #[serde(default)]
    region_code: Option<String>,
    /// The project's name.
    name: String,
}

/// Removes what was entered by hand for a project, with its stage set by hand: a project
/// only entered leaves the library; one its documents name keeps what they say.
#[utoipa::path(
    delete, path = "/api/v1/projects/entry", tag = "projects", request_body = EntryBody,
    responses(
        (status = 204, description = "Removed"),
        (status = 404, body = ErrorBody, description = "Nothing was entered by hand for it"),
    )
)]
async fn delete_entry(
    State(ctx): State<Ctx>,
    User(actor): User,
    body: Result<Json<EntryBody>, JsonRejection>,
) -> Result<axum::http::StatusCode, ApiError> {
    let b = json_body(body)?;
    ctx.app.delete_project_entry(&actor, b.region_code.as_deref(), &b.name).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

// ---- the pages ----

/// The project library's pages.
pub(crate) fn pages() -> Router<Ctx> {
    Router::new()
        .route("/projects", get(projects_page))
        .route("/projects.xlsx", get(projects_xlsx))
        .route("/projects/view", get(project_page))
        .route("/projects/stage", post(stage_page))
        .route("/projects/import", post(import_page))
        .route("/projects/entry/delete", post(delete_entry_page))
        .route("/projects/stages", get(stages_page).post(save_stages_page))
}

/// Projects on one page of `/projects`.
const PAGE_ROWS: u32 = 100;

/// A quick filter of 一图三清单.
struct ListLink {
    href: String,
    label: String,
    on: bool,
}

/// One sentence behind a year of a timeline.
struct SourceView {
    link: String,
    title: String,
    stage: String,
    sentence: String,
}

/// One year of a project's timeline.
struct YearView {
    year: String,
    stages: String,
    sources: Vec<SourceView>,
}

/// A project as a row of the page.
struct ProjectView {
    name: String,
    region: String,
    region_code: String,
    category: String,
    capacity: String,
    investment: String,
    stage: String,
    manual: bool,
    note: String,
    extracted: String,
    site_key: String,
    years: Vec<YearView>,
    /// Entered by hand, no document names it.
    by_hand: bool,
    /// Something was entered by hand for it (it can be removed).
    entered: bool,
    prospect: bool,
    /// Its own page.
    link: String,
}

impl ProjectView {
    fn new(p: &LibraryProject) -> ProjectView {
        let years = timeline(p)
            .into_iter()
            .map(|(year, stages)| YearView {
                year: year.map_or("年份不明".to_owned(), |y| format!("{y}年")),
                stages: stages.iter().map(|s| s.label()).collect::<Vec<_>>().join("、"),
                sources: p
                    .milestones
                    .iter()
                    .filter(|m| m.year == year)
                    .map(|m| SourceView {
                        link: format!("/documents/{}#p{}", m.document_id, m.ord),
                        title: m
                            .document_title
                            .clone()
                            .unwrap_or_else(|| format!("文件 {}", m.document_id)),
                        stage: m.stage.map_or("", |s| s.label()).to_owned(),
                        sentence: m.sentence.clone(),
                    })
                    .collect(),
            })
            .collect();
        let site = p.site_stage.as_ref();
        ProjectView {
            name: p.name.clone(),
            region: p.region_name.clone().or_else(|| p.region_code.clone()).unwrap_or_default(),
            region_code: p.region_code.clone().unwrap_or_default(),
            category: p.category.label().to_owned(),
            capacity: p.capacity.clone().unwrap_or_default(),
            investment: p.investment.clone().unwrap_or_default(),
            stage: site.map(|s| s.label.clone()).unwrap_or_default(),
            manual: site.is_some_and(|s| s.manual),
            note: p.note().to_owned(),
            extracted: p.stage.map_or("", |s| s.label()).to_owned(),
            site_key: site.map(|s| s.key.clone()).unwrap_or_default(),
            years,
            by_hand: p.by_hand_only(),
            entered: p.entry.is_some(),
            prospect: p.prospect(),
            link: project_link(p.region_code.as_deref().unwrap_or(""), &p.name),
        }
    }
}

#[derive(Template)]
#[template(path = "projects.html")]
struct ProjectsPage {
    nav: &'static str,
    rows: Vec<ProjectView>,
    /// Every project the filters pass.
    total: usize,
    pager: Pager,
    lists: Vec<ListLink>,
    region: String,
    /// The name filter.
    name: String,
    year: String,
    list: String,
    stages: Vec<Choice>,
    types: Vec<Choice>,
    /// The site's stages for the move form.
    site_stages: Vec<SiteStage>,
    /// The site's stages as one line: 梦想库 → 理性库 → ….
    sequence: String,
    xlsx: String,
    /// Where the move form comes back to.
    back: String,
    notice: String,
}

/// A notice after a change (`?moved=南湖中学`, `?imported=2,1,0,5`, `?removed=…`).
#[derive(Debug, Default, Deserialize)]
struct Notice {
    moved: Option<String>,
    /// Added, updated, moved and unchanged, as an import counted them.
    imported: Option<String>,
    removed: Option<String>,
    stages: Option<String>,
}

impl Notice {
    fn text(self) -> String {
        if let Some(name) = self.moved {
            return format!("已调整“{name}”的阶段");
        }
        if let Some(name) = self.removed {
            return format!("已删除手工录入的“{name}”");
        }
        if self.stages.is_some() {
            return "已保存阶段设置".to_owned();
        }
        let counts: Vec<usize> = self
            .imported
            .as_deref()
            .unwrap_or("")
            .split(',')
            .filter_map(|n| n.trim().parse().ok())
            .collect();
        match counts.as_slice() {
            [0, 0, 0, unchanged] => format!("已导入：表中{unchanged}行与项目库一致，没有改动"),
            [added, updated, moved, unchanged] => format!(
                "已导入：新增{added}个，更新{updated}个，调整阶段{moved}个，未改动{unchanged}行"
            ),
            _ => String::new(),
        }
    }
}

async fn projects_page(
    State(ctx): State<Ctx>,
    q: Result<Q<ProjectQuery>, ApiError>,
    notice: Result<Q<Notice>, ApiError>,
) -> PageResult {
    let Q(q) = q?;
    let filter = q.filter(&ctx).await?;
    let projects = ctx.app.project_library(&filter).await?;
    let site_stages = ctx.app.project_stages().await?;
    let stage = given(&q.stage).unwrap_or("");
    let mut stages: Vec<Choice> = site_stages
        .iter()
        .map(|s| Choice { value: s.key.clone(), label: s.label.clone(), selected: s.key == stage })
        .collect();
    stages.extend(Stage::ALL.into_iter().map(|s| Choice {
        value: s.as_str().to_owned(),
        label: format!("文件所述：{}", s.label()),
        selected: s.as_str() == stage,
    }));
    let category = given(&q.category).unwrap_or("");
    let types = ProjectCategory::ALL
        .into_iter()
        .map(|c| Choice {
            value: c.as_str().to_owned(),
            label: c.label().to_owned(),
            selected: c.as_str() == category,
        })
        .collect();
    let list = given(&q.list).unwrap_or("");
    let mut pairs = q.pairs();
    pairs.retain(|(k, _)| *k != "list");
    let mut lists = vec![ListLink {
        href: url("/projects", &pairs),
        label: "全部项目".to_owned(),
        on: list.is_empty(),
    }];
    for l in ProjectList::ALL {
        let mut with = pairs.clone();
        with.push(("list", l.as_str().to_owned()));
        lists.push(ListLink {
            href: url("/projects", &with),
            label: l.label().to_owned(),
            on: list == l.as_str(),
        });
    }
    let offset: u32 = number("offset", &q.offset)?.unwrap_or(0);
    let shown: Vec<&LibraryProject> =
        projects.iter().skip(offset as usize).take(PAGE_ROWS as usize).collect();
    let pager =
        Pager::new("/projects", &q.pairs(), projects.len() as i64, PAGE_ROWS, offset, shown.len());
    let mut back = q.pairs();
    back.push(("offset", if offset > 0 { offset.to_string() } else { String::new() }));
    render(&ProjectsPage {
        nav: "projects",
        total: projects.len(),
        pager,
        rows: shown.into_iter().map(ProjectView::new).collect(),
        lists,
        region: given(&q.region).unwrap_or("").to_owned(),
        name: given(&q.q).unwrap_or("").to_owned(),
        year: given(&q.year).unwrap_or("").to_owned(),
        list: list.to_owned(),
        stages,
        types,
        sequence: site_stages.iter().map(|s| s.label.as_str()).collect::<Vec<_>>().join(" → "),
        site_stages,
        xlsx: url("/projects.xlsx", &q.pairs()),
        back: url("/projects", &back),
        notice: notice.map(|Q(n)| n.text()).unwrap_or_default(),
    })
}

async fn projects_xlsx(State(ctx): State<Ctx>, q: Result<Q<ProjectQuery>, ApiError>) -> PageResult {
    let Q(q) = q?;
    let projects = ctx.app.project_library(&q.filter(&ctx).await?).await?;
    let stages = ctx.app.project_stages().await?;
    let bytes = write_sheet(&projects, &stages).map_err(|e| ApiError::internal(&e))?;
    Ok(download(crate::ledger::XLSX_TYPE, "projects.xlsx", "项目库.xlsx", bytes))
}

/// The move form: the project, the stage, a note, and the page to come back to.
#[derive(Debug, Default, Deserialize)]
struct StageForm {
    #[serde(default)]
    region_code: String,
    name: String,
    #[serde(default)]
    stage: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    back: String,
}

async fn stage_page(
    State(ctx): State<Ctx>,
    User(actor): User,
    form: Result<Form<StageForm>, FormRejection>,
) -> PageResult {
    let f = form_body(form)?;
    let body = StageBody {
        region_code: Some(f.region_code),
        name: f.name,
        stage: Some(f.stage),
        note: f.note,
    };
    let p = move_project(&ctx, &actor, &body).await?;
    Ok(Redirect::to(&back_to(&f.back, ("moved", p.name))).into_response())
}

/// Where a form of the library comes back to, with its notice: only a page of the library
/// (never another site), its query encoded again so that the redirect is plain ASCII
/// however it was sent.
fn back_to(back: &str, notice: (&'static str, String)) -> String {
    let (path, query) = back.split_once('?').unwrap_or((back, ""));
    let (path, query) = match path {
        "/projects" | "/projects/view" => (path, query),
        _ => ("/projects", ""),
    };
    let parsed: Vec<(String, String)> =
        form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let mut pairs: Vec<(&str, String)> =
        parsed.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    pairs.push(notice);
    url(path, &pairs)
}

async fn import_page(
    State(ctx): State<Ctx>,
    User(actor): User,
    form: Result<Multipart, MultipartRejection>,
) -> PageResult {
    let (bytes, _) = sheet_upload(form).await?;
    let d = ctx.app.import_project_sheet(&actor, &bytes).await?;
    let counts = format!("{},{},{},{}", d.added.len(), d.updated.len(), d.moved.len(), d.unchanged);
    Ok(Redirect::to(&url("/projects", &[("imported", counts)])).into_response())
}

/// The remove form of a project entered by hand.
#[derive(Debug, Default, Deserialize)]
struct EntryForm {
    #[serde(default)]
    region_code: String,
    name: String,
    #[serde(default)]
    back: String,
}

async fn delete_entry_page(
    State(ctx): State<Ctx>,
    User(actor): User,
    form: Result<Form<EntryForm>, FormRejection>,
) -> PageResult {
    let f = form_body(form)?;
    ctx.app.delete_project_entry(&actor, Some(&f.region_code), &f.name).await?;
    let notice = ("removed", f.name.trim().to_owned());
    Ok(Redirect::to(&back_to(&f.back, notice)).into_response())
}

/// One row of the stages form.
struct StageRow {
    key: String,
    label: String,
    /// Each extracted stage, with whether this site stage takes it in.
    takes: Vec<(Stage, bool)>,
}

#[derive(Template)]
#[template(path = "project_stages.html")]
struct StagesPage {
    nav: &'static str,
    rows: Vec<StageRow>,
}

/// Blank rows the stages form offers for new stages.
const NEW_STAGE_ROWS: usize = 2;

async fn stages_page(State(ctx): State<Ctx>) -> PageResult {
    let stages = ctx.app.project_stages().await?;
    let mut rows: Vec<StageRow> = stages
        .iter()
        .map(|s| StageRow {
            key: s.key.clone(),
            label: s.label.clone(),
            takes: Stage::ALL.into_iter().map(|st| (st, s.stages.contains(&st))).collect(),
        })
        .collect();
    for _ in 0..NEW_STAGE_ROWS {
        rows.push(StageRow {
            key: String::new(),
            label: String::new(),
            takes: Stage::ALL.into_iter().map(|st| (st, false)).collect(),
        });
    }
    render(&StagesPage { nav: "projects", rows })
}

/// Reads the stages form: per row `i`, `key.i`, `label.i`, `order.i` and one `takes.i` per
/// extracted stage it takes in. A row without a label is dropped; a new row without a key
/// gets one.
fn stages_form(body: &[u8]) -> Result<Vec<SiteStage>, ApiError> {
    struct Row {
        index: usize,
        key: String,
        label: String,
        order: Option<f64>,
        stages: Vec<Stage>,
    }
    let mut rows = Vec::new();
    for (index, fields) in crate::pages::form_rows(body) {
        let mut row = Row {
            index,
            key: String::new(),
            label: String::new(),
            order: None,
            stages: Vec::new(),
        };
        for (field, v) in fields {
            match field.as_str() {
                "key" => row.key = v,
                "label" => row.label = v,
                "order" if !v.is_empty() => {
                    row.order = Some(v.parse().map_err(|_| {
                        ApiError::bad_request("invalid", format!("顺序应为数字，实为“{v}”"))
                    })?);
                }
                "takes" => row.stages.push(Stage::parse(&v).ok_or_else(|| {
                    ApiError::bad_request("invalid", format!("没有“{v}”这个文件阶段"))
                })?),
                _ => {}
            }
        }
        if !row.label.is_empty() {
            rows.push(row);
        }
    }
    // By the order given, else by place in the form.
    let at = |r: &Row| r.order.unwrap_or(r.index as f64 + 1.0);
    rows.sort_by(|a, b| at(a).total_cmp(&at(b)).then(a.index.cmp(&b.index)));
    // A new row's key is one no other row has.
    let mut taken: Vec<String> = rows.iter().map(|r| r.key.clone()).collect();
    let mut stages = Vec::with_capacity(rows.len());
    for r in rows {
        let key = if r.key.is_empty() {
            let key = (1..)
                .map(|n| format!("stage{n}"))
                .find(|k| !taken.contains(k))
                .expect("a free key");
            taken.push(key.clone());
            key
        } else {
            r.key
        };
        stages.push(SiteStage { key, label: r.label, stages: r.stages });
    }
    Ok(stages)
}

async fn save_stages_page(
    State(ctx): State<Ctx>,
    User(actor): User,
    body: axum::body::Bytes,
) -> PageResult {
    let stages = stages_form(&body)?;
    ctx.app.set_project_stages(&actor, stages).await?;
    Ok(Redirect::to("/projects?stages=saved").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stages_form_keeps_order_drops_blank_rows_and_names_new_ones() {
        let body = "_csrf=x&key.0=dream&label.0=梦想库&order.0=2&takes.0=planned\
            &key.1=rational&label.1=理性库&order.1=1&takes.1=preparation&takes.1=started\
            &key.2=&label.2=签约库&order.2=3\
            &key.3=&label.3=&order.3=";
        let stages = stages_form(body.as_bytes()).expect("read");
        let got: Vec<(&str, &str, Vec<Stage>)> =
            stages.iter().map(|s| (s.key.as_str(), s.label.as_str(), s.stages.clone())).collect();
        assert_eq!(
            got,
            [
                ("rational", "理性库", vec![Stage::Preparation, Stage::Started]),
                ("dream", "梦想库", vec![Stage::Planned]),
                ("stage1", "签约库", vec![]),
            ]
        );
        // A new row takes a key no row has, not one a later row names.
        let clash = stages_form("label.0=新库&key.1=stage1&label.1=旧库".as_bytes()).expect("read");
        let keys: Vec<&str> = clash.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["stage2", "stage1"]);
        assert!(stages_form(b"key.0=a&label.0=A&takes.0=someday").is_err());
        assert!(stages_form(b"key.0=a&label.0=A&order.0=first").is_err());
    }
}

/// Which project `/projects/view` shows.
#[derive(Debug, Default, Deserialize)]
struct ProjectKey {
    #[serde(default)]
    region: String,
    #[serde(default)]
    name: String,
}

/// One change by hand of a project.
struct HistoryRow {
    at: String,
    actor: String,
    action: String,
    detail: String,
    changes: Vec<String>,
}

#[derive(Template)]
#[template(path = "project.html")]
struct ProjectPage {
    nav: &'static str,
    r: ProjectView,
    site_stages: Vec<SiteStage>,
    history: Vec<HistoryRow>,
    /// This page, for the forms to come back to.
    back: String,
    notice: String,
}

/// The link to a project's own page.
pub(crate) fn project_link(region_code: &str, name: &str) -> String {
    url("/projects/view", &[("region", region_code.to_owned()), ("name", name.to_owned())])
}

async fn project_page(
    State(ctx): State<Ctx>,
    key: Result<Q<ProjectKey>, ApiError>,
    notice: Result<Q<Notice>, ApiError>,
) -> PageResult {
    let Q(key) = key?;
    let Some((p, history)) = ctx.app.project(Some(&key.region), &key.name).await? else {
        return Err(ApiError::not_found(format!("项目库中没有“{}”这个项目。", key.name)).into());
    };
    let site_stages = ctx.app.project_stages().await?;
    // The fields as an office names them, a stage by its label.
    let shown = |line: String| -> String {
        let Some((field, values)) = line.split_once('：') else { return line };
        let field = match field {
            "stage" => "阶段",
            "note" => "说明",
            "name" => "名称",
            "category" => "类型",
            "capacity" => "建设规模",
            "investment" => "投资",
            "prospect" => "拟招企业",
            "region_code" => "地区代码",
            other => other,
        };
        let values = match field {
            "阶段" => values
                .split(" → ")
                .map(|v| site_stages.iter().find(|s| s.key == v).map_or(v, |s| s.label.as_str()))
                .collect::<Vec<_>>()
                .join(" → "),
            _ => values.to_owned(),
        };
        format!("{field}：{values}")
    };
    let history = history
        .into_iter()
        .map(|h| HistoryRow {
            at: h.at.get(..19).unwrap_or(&h.at).replace('T', " "),
            actor: h.change.actor.clone(),
            action: taizhang_app::auth::action_label(&h.change.action).to_owned(),
            detail: h.change.detail.clone(),
            // A first change has no "before", a removal no "after": each is empty.
            changes: crate::users::field_changes(
                Some(h.change.before.as_deref().unwrap_or("{}")),
                Some(h.change.after.as_deref().unwrap_or("{}")),
            )
            .into_iter()
            .map(&shown)
            .collect(),
        })
        .collect();
    let r = ProjectView::new(&p);
    render(&ProjectPage {
        nav: "projects",
        back: project_link(&r.region_code, &r.name),
        r,
        site_stages,
        history,
        notice: notice.map(|Q(n)| n.text()).unwrap_or_default(),
    })
}
