//! Schedule progress (序时进度) and warnings: how much of a task's time has elapsed, how
//! far its reported completion lags behind that, and the light it earns.

use taizhang_store::TaskStatus;

use super::date::Date;

/// How many points behind schedule progress a task may fall before it lights yellow, and
/// before it lights red. A planning office sets them; by default a task 10 to 30 points
/// behind is yellow and one more than 30 behind is red.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Yellow from this lag on (inclusive), in percentage points.
    pub yellow: f64,
    /// Red above this lag (exclusive), in percentage points.
    pub red: f64,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds { yellow: 10.0, red: 30.0 }
    }
}

impl Thresholds {
    /// Thresholds that make sense: `0 ≤ yellow ≤ red ≤ 100`. The error is for the user.
    pub fn new(yellow: f64, red: f64) -> Result<Thresholds, String> {
        if !(yellow.is_finite() && red.is_finite()) {
            return Err("预警阈值须为数字".into());
        }
        if !(0.0..=100.0).contains(&yellow) || !(0.0..=100.0).contains(&red) {
            return Err("预警阈值须在0到100个百分点之间".into());
        }
        if yellow > red {
            return Err(format!("黄色预警阈值（{yellow}）不能大于红色预警阈值（{red}）"));
        }
        Ok(Thresholds { yellow, red })
    }
}

/// A task's warning light.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Light {
    /// No schedule to keep: no deadline (长期坚持), or suspended.
    None,
    /// On schedule, or done.
    Green,
    /// Behind schedule by at least the yellow threshold.
    Yellow,
    /// Behind by more than the red threshold, or overdue.
    Red,
}

impl Light {
    /// Every light, for filters.
    pub const ALL: [Light; 4] = [Light::Green, Light::Yellow, Light::Red, Light::None];

    /// The name used in URLs and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Light::None => "none",
            Light::Green => "green",
            Light::Yellow => "yellow",
            Light::Red => "red",
        }
    }

    /// The light named `name`, as [`Light::as_str`] writes it.
    pub fn parse(name: &str) -> Option<Light> {
        Light::ALL.into_iter().find(|l| l.as_str() == name)
    }

    /// Its Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Light::None => "无",
            Light::Green => "绿灯",
            Light::Yellow => "黄灯",
            Light::Red => "红灯",
        }
    }
}

/// Where a task stands against its time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Schedule {
    /// The share of the task's time elapsed (序时进度), 0–100; `None` without a deadline.
    pub elapsed: Option<f64>,
    /// The share done, 0–100: the last report's, 100 when done, 0 before any report.
    pub done: f64,
    /// Points behind schedule (negative when ahead); `None` without a deadline.
    pub lag: Option<f64>,
    /// The light.
    pub light: Light,
    /// Past its deadline and not done.
    pub overdue: bool,
    /// Days until the deadline (negative once past); `None` without one.
    pub days_left: Option<i64>,
}

/// The schedule of a task with `status`, `percent` done as last reported, whose time runs
/// from `start` to `deadline`, seen on `today`.
///
/// The elapsed share is the days since `start` over the days from `start` to `deadline`,
/// held between 0 and 100; the lag is that share minus the share done. A task past its
/// deadline and not done is overdue and red whatever its lag. A task done is green; one
/// suspended or without a deadline has no light.
pub fn schedule(
    status: TaskStatus,
    percent: Option<f64>,
    start: Date,
    deadline: Option<Date>,
    today: Date,
    thresholds: Thresholds,
) -> Schedule {
    let done = if status == TaskStatus::Done { 100.0 } else { percent.unwrap_or(0.0) };
    let Some(deadline) = deadline else {
        let light = if status == TaskStatus::Done { Light::Green } else { Light::None };
        return Schedule { elapsed: None, done, lag: None, light, overdue: false, days_left: None };
    };
    let total = deadline.days() - start.days();
    let passed = today.days() - start.days();
    let elapsed = if total <= 0 {
        if today >= deadline { 100.0 } else { 0.0 }
    } else {
        (100.0 * passed as f64 / total as f64).clamp(0.0, 100.0)
    };
    let lag = elapsed - done;
    let overdue = today > deadline && status != TaskStatus::Done;
    let light = match status {
        TaskStatus::Done => Light::Green,
        TaskStatus::Suspended => Light::None,
        _ if overdue || lag > thresholds.red => Light::Red,
        _ if lag >= thresholds.yellow => Light::Yellow,
        _ => Light::Green,
    };
    Schedule {
        elapsed: Some(elapsed),
        done,
        lag: Some(lag),
        light,
        overdue,
        days_left: Some(deadline.days() - today.days()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Date {
        Date::new(y, m, day).expect("a valid day")
    }

    /// A task from 2026-01-01 to 2026-12-31 (364 days), seen after `days` days, with
    /// `percent` done, in progress.
    #[track_caller]
    fn light_after(days: i64, percent: f64, t: Thresholds) -> (Light, f64) {
        let start = d(2026, 1, 1);
        let s = schedule(
            TaskStatus::InProgress,
            Some(percent),
            start,
            Some(d(2026, 12, 31)),
            start.add_days(days),
            t,
        );
        (s.light, s.lag.expect("a lag"))
    }

    #[test]
    fn lights_follow_the_lag_behind_elapsed_time() {
        let t = Thresholds::default();
        // Half the time gone (182 of 364 days): 50 points of schedule progress.
        assert_eq!(light_after(182, 50.0, t), (Light::Green, 0.0));
        assert_eq!(light_after(182, 41.0, t), (Light::Green, 9.0));
        assert_eq!(light_after(182, 40.0, t), (Light::Yellow, 10.0), "10 behind is yellow");
        assert_eq!(light_after(182, 20.0, t), (Light::Yellow, 30.0), "30 behind is still yellow");
        assert_eq!(light_after(182, 19.0, t), (Light::Red, 31.0), "more than 30 is red");
        assert_eq!(light_after(182, 90.0, t).0, Light::Green, "ahead of schedule");
        // Before the start nothing is due.
        assert_eq!(light_after(-10, 0.0, t), (Light::Green, 0.0));
    }

    #[test]
    fn thresholds_are_configurable() {
        let strict = Thresholds::new(5.0, 15.0).expect("valid");
        assert_eq!(light_after(182, 44.0, strict).0, Light::Yellow);
        assert_eq!(light_after(182, 34.0, strict).0, Light::Red);
        assert_eq!(light_after(182, 46.0, strict).0, Light::Green);
        assert!(Thresholds::new(30.0, 10.0).is_err());
        assert!(Thresholds::new(-1.0, 10.0).is_err());
        assert!(Thresholds::new(10.0, 101.0).is_err());
        assert!(Thresholds::new(f64::NAN, 10.0).is_err());
    }

    #[test]
    fn overdue_done_suspended_and_open_ended() {
        let t = Thresholds::default();
        let (start, deadline) = (d(2026, 1, 1), Some(d(2026, 6, 30)));
        let late = d(2026, 7, 1);
        let s = schedule(TaskStatus::InProgress, Some(95.0), start, deadline, late, t);
        assert!(s.overdue);
        assert_eq!((s.light, s.days_left, s.elapsed), (Light::Red, Some(-1), Some(100.0)));
        let on_the_day =
            schedule(TaskStatus::InProgress, Some(95.0), start, deadline, d(2026, 6, 30), t);
        assert!(!on_the_day.overdue, "the deadline day itself is not overdue");
        let done = schedule(TaskStatus::Done, Some(10.0), start, deadline, late, t);
        assert_eq!((done.light, done.overdue, done.done), (Light::Green, false, 100.0));
        let suspended = schedule(TaskStatus::Suspended, None, start, deadline, late, t);
        assert_eq!(suspended.light, Light::None);
        let open = schedule(TaskStatus::InProgress, Some(10.0), start, None, late, t);
        assert_eq!((open.light, open.elapsed, open.overdue), (Light::None, None, false));
        // No report yet counts as nothing done.
        let silent = schedule(TaskStatus::NotStarted, None, start, deadline, d(2026, 4, 1), t);
        assert_eq!(silent.light, Light::Red);
        // A deadline on the start day.
        let same = schedule(TaskStatus::InProgress, None, start, Some(start), start, t);
        assert_eq!((same.elapsed, same.light), (Some(100.0), Light::Red));
    }
}
