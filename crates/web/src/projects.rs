//! The project library (项目库): the page `/projects` (filters by region, stage, type and
//! year, the 一图三清单 lists, each project's timeline with its sources, a form to move a
//! project to a stage by hand), `/projects.xlsx`, and the API under `/api/v1/projects`.
//!
//! The one mutation, moving a project to a stage, is `App::set_project_stage`, from both the
//! form and the API.

use askama::Template;
use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{Form, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use taizhang_app::auth::Actor;
use taizhang_app::projects::{
    LibraryFilter, LibraryProject, Milestone, ProjectList, SiteStage, timeline, write_sheet,
};
use taizhang_extract::{ProjectCategory, Stage};
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::User;
use crate::dto::{given, number, region_prefix};
use crate::error::ErrorBody;
use crate::extractors::Q;
use crate::ledger::{form_body, json_body, url};
use crate::pages::{Choice, PageError};
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
    /// A list of 一图三清单: `building` (在建项目) or `pipeline` (在谈/谋划项目).
    list: Option<String>,
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
                    format!("清单（list）应为 building 或 pipeline，实为“{s}”"),
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
    /// The mentions, by year.
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
            milestones: p.milestones.iter().map(MilestoneItem::from).collect(),
        }
    }
}

/// The library cut to a filter, with the site's stages.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ProjectLibrary {
    /// The site's stages, in order.
    stages: Vec<SiteStageItem>,
    /// How many projects.
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
    Ok(Json(ProjectLibrary {
        stages: stages.iter().map(SiteStageItem::from).collect(),
        total: projects.len(),
        items: projects.iter().map(ProjectItem::from).collect(),
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

// ---- the pages ----

/// The project library's pages.
pub(crate) fn pages() -> Router<Ctx> {
    Router::new()
        .route("/projects", get(projects_page))
        .route("/projects.xlsx", get(projects_xlsx))
        .route("/projects/stage", post(stage_page))
}

type PageResult = Result<Response, PageError>;

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
            note: site.filter(|s| s.manual).map(|s| s.note.clone()).unwrap_or_default(),
            extracted: p.stage.map_or("", |s| s.label()).to_owned(),
            site_key: site.map(|s| s.key.clone()).unwrap_or_default(),
            years,
        }
    }
}

#[derive(Template)]
#[template(path = "projects.html")]
struct ProjectsPage {
    nav: &'static str,
    rows: Vec<ProjectView>,
    lists: Vec<ListLink>,
    region: String,
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

/// A notice after a move (`?moved=南湖中学`).
#[derive(Debug, Default, Deserialize)]
struct Notice {
    moved: Option<String>,
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
    render(&ProjectsPage {
        nav: "projects",
        rows: projects.iter().map(ProjectView::new).collect(),
        lists,
        region: given(&q.region).unwrap_or("").to_owned(),
        year: given(&q.year).unwrap_or("").to_owned(),
        list: list.to_owned(),
        stages,
        types,
        sequence: site_stages.iter().map(|s| s.label.as_str()).collect::<Vec<_>>().join(" → "),
        site_stages,
        xlsx: url("/projects.xlsx", &q.pairs()),
        back: url("/projects", &q.pairs()),
        notice: notice
            .ok()
            .and_then(|Q(n)| n.moved)
            .map(|name| format!("已调整“{name}”的阶段"))
            .unwrap_or_default(),
    })
}

fn render(t: &impl Template) -> PageResult {
    match t.render() {
        Ok(html) => Ok(Html(html).into_response()),
        Err(e) => Err(ApiError::internal(&e).into()),
    }
}

async fn projects_xlsx(State(ctx): State<Ctx>, q: Result<Q<ProjectQuery>, ApiError>) -> PageResult {
    let Q(q) = q?;
    let projects = ctx.app.project_library(&q.filter(&ctx).await?).await?;
    let bytes = write_sheet(&projects).map_err(|e| ApiError::internal(&e))?;
    let encoded: String = form_urlencoded::byte_serialize("项目库.xlsx".as_bytes()).collect();
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"projects.xlsx\"; filename*=UTF-8''{encoded}"),
            ),
        ],
        bytes,
    )
        .into_response())
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
    // Only a path of this page: the form never sends the browser elsewhere.
    let back = if f.back.starts_with("/projects") { f.back } else { "/projects".to_owned() };
    let sep = if back.contains('?') { '&' } else { '?' };
    let name: String = form_urlencoded::byte_serialize(p.name.as_bytes()).collect();
    Ok(Redirect::to(&format!("{back}{sep}moved={name}")).into_response())
}
