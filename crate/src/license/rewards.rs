//! The rewards of one license, from the node-sale schedule (spec: "Licenses, delegation, rewards";
//! our reading is in docs/licenses.md). Amounts are integers in wei (10^-18 0G), rounded down.
//!
//! - Pool: 150M 0G over 175,500 licenses; each license's share is split 33% (part 1) / 67% (part 2).
//! - Part 1: 10% of the license's share unlocks at TGE with no penalty; the other 23% may be claimed
//!   early with a penalty that steps down: 60% before day 90, 50% before day 180, 35% before day
//!   270, 20% before day 365, nothing from day 365.
//! - Part 2: vests linearly, one equal tranche a day over 36 months (taken as 1,095 days); a day's
//!   tranche is earned only if the license ran or was delegated that day, and is lost otherwise.
//! - Commission: on days the license was delegated, the operator keeps its commission (fixed at
//!   its registration) of that day's part-2 tranche. Part 1 is the owner's alone.

use serde::{Serialize, Serializer};

pub const WEI_PER_TOKEN: u128 = 1_000_000_000_000_000_000;
/// 15% of supply for license rewards: 150M 0G.
pub const POOL_WEI: u128 = 150_000_000 * WEI_PER_TOKEN;
pub const LICENSES_TOTAL: u128 = 175_500;
/// 36 months of daily vesting, as 3 × 365 days.
pub const PART2_DAYS: u32 = 1_095;

const PART1_PCT: u128 = 33;
const TGE_UNLOCK_PCT: u128 = 10;

/// What a license did since TGE, in whole days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LicenseActivity {
    pub days_since_tge: u32,
    /// Days the owner ran the node itself.
    pub days_self_run: u32,
    /// Days the license was delegated to an operator.
    pub days_delegated: u32,
    /// The operator's commission in basis points (1% = 100), fixed at its registration.
    pub commission_bps: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RewardsError {
    #[error("{active} active days is more than the {elapsed} vesting days elapsed")]
    TooManyActiveDays { active: u64, elapsed: u32 },
    #[error("commission of {0} basis points is over 100%")]
    Commission(u16),
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RewardsPart1 {
    #[serde(serialize_with = "wei")]
    pub total: u128,
    #[serde(serialize_with = "wei")]
    pub unlocked_at_tge: u128,
    /// The part released by milestone, subject to the early-claim penalty.
    #[serde(serialize_with = "wei")]
    pub milestone: u128,
    pub penalty_pct_today: u8,
    /// What claiming all of part 1 today pays.
    #[serde(serialize_with = "wei")]
    pub claimable_today: u128,
    #[serde(serialize_with = "wei")]
    pub penalty_today: u128,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RewardsPart2 {
    #[serde(serialize_with = "wei")]
    pub total: u128,
    /// One day's tranche (rounded down).
    #[serde(serialize_with = "wei")]
    pub daily: u128,
    /// Vesting days elapsed (at most 1,095).
    pub days_elapsed: u32,
    pub days_earned: u32,
    #[serde(serialize_with = "wei")]
    pub vested: u128,
    /// Tranches of days the license neither ran nor was delegated.
    #[serde(serialize_with = "wei")]
    pub missed: u128,
    #[serde(serialize_with = "wei")]
    pub operator_commission: u128,
    #[serde(serialize_with = "wei")]
    pub owner_vested: u128,
    /// Tranches of days still to come.
    #[serde(serialize_with = "wei")]
    pub unvested: u128,
}

/// One license's rewards (or several licenses' summed with [`RewardsPanel::sum`]).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RewardsPanel {
    pub licenses: u32,
    #[serde(serialize_with = "wei")]
    pub allocation: u128,
    pub part1: RewardsPart1,
    pub part2: RewardsPart2,
    /// Part 1 claimable today plus the owner's vested part 2.
    #[serde(serialize_with = "wei")]
    pub owner_total_today: u128,
}

/// Amounts as decimal strings: JavaScript numbers cannot hold wei.
fn wei<S: Serializer>(v: &u128, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// The early-claim penalty on part 1's milestone share, by day since TGE.
pub fn early_claim_penalty_pct(days_since_tge: u32) -> u8 {
    match days_since_tge {
        0..90 => 60,
        90..180 => 50,
        180..270 => 35,
        270..365 => 20,
        _ => 0,
    }
}

pub fn rewards(a: &LicenseActivity) -> Result<RewardsPanel, RewardsError> {
    if a.commission_bps > 10_000 {
        return Err(RewardsError::Commission(a.commission_bps));
    }
    let elapsed = a.days_since_tge.min(PART2_DAYS);
    let active = a.days_self_run as u64 + a.days_delegated as u64;
    if active > elapsed as u64 {
        return Err(RewardsError::TooManyActiveDays { active, elapsed });
    }
    let allocation = POOL_WEI / LICENSES_TOTAL;
    let part1_total = allocation * PART1_PCT / 100;
    let unlocked_at_tge = allocation * TGE_UNLOCK_PCT / 100;
    let milestone = part1_total - unlocked_at_tge;
    let pct = early_claim_penalty_pct(a.days_since_tge);
    let penalty_today = milestone * pct as u128 / 100;
    let part1 = RewardsPart1 {
        total: part1_total,
        unlocked_at_tge,
        milestone,
        penalty_pct_today: pct,
        claimable_today: part1_total - penalty_today,
        penalty_today,
    };

    let part2_total = allocation - part1_total;
    let tranches = |days: u32| part2_total * days as u128 / PART2_DAYS as u128;
    let vested = tranches(active as u32);
    let delegated = tranches(a.days_delegated);
    let operator_commission = delegated * a.commission_bps as u128 / 10_000;
    let part2 = RewardsPart2 {
        total: part2_total,
        daily: tranches(1),
        days_elapsed: elapsed,
        days_earned: active as u32,
        vested,
        missed: tranches(elapsed) - vested,
        operator_commission,
        owner_vested: vested - operator_commission,
        unvested: part2_total - tranches(elapsed),
    };
    let owner_total_today = part1.claimable_today + part2.owner_vested;
    Ok(RewardsPanel { licenses: 1, allocation, part1, part2, owner_total_today })
}

impl RewardsPanel {
    /// Several licenses' panels added up (the penalty percentage is the same day for all).
    pub fn sum<'a>(panels: impl IntoIterator<Item = &'a RewardsPanel>) -> RewardsPanel {
        panels.into_iter().fold(RewardsPanel::default(), |t, p| RewardsPanel {
            licenses: t.licenses + p.licenses,
            allocation: t.allocation + p.allocation,
            part1: RewardsPart1 {
                total: t.part1.total + p.part1.total,
                unlocked_at_tge: t.part1.unlocked_at_tge + p.part1.unlocked_at_tge,
                milestone: t.part1.milestone + p.part1.milestone,
                penalty_pct_today: p.part1.penalty_pct_today,
                claimable_today: t.part1.claimable_today + p.part1.claimable_today,
                penalty_today: t.part1.penalty_today + p.part1.penalty_today,
            },
            part2: RewardsPart2 {
                total: t.part2.total + p.part2.total,
                daily: t.part2.daily + p.part2.daily,
                days_elapsed: p.part2.days_elapsed,
                days_earned: t.part2.days_earned + p.part2.days_earned,
                vested: t.part2.vested + p.part2.vested,
                missed: t.part2.missed + p.part2.missed,
                operator_commission: t.part2.operator_commission + p.part2.operator_commission,
                owner_vested: t.part2.owner_vested + p.part2.owner_vested,
                unvested: t.part2.unvested + p.part2.unvested,
            },
            owner_total_today: t.owner_total_today + p.owner_total_today,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn activity(days: u32, own: u32, delegated: u32, bps: u16) -> LicenseActivity {
        LicenseActivity { days_since_tge: days, days_self_run: own, days_delegated: delegated, commission_bps: bps }
    }

    #[test]
    fn allocation_is_at_least_854_7_tokens() {
        let p = rewards(&activity(0, 0, 0, 0)).unwrap();
        assert_eq!(p.allocation, 854_700_854_700_854_700_854);
        assert!(p.allocation >= 8547 * WEI_PER_TOKEN / 10);
        assert_eq!(p.part1.total + p.part2.total, p.allocation);
        // 33% / 67% and the 10% TGE unlock inside part 1.
        assert_eq!(p.part1.total, p.allocation * 33 / 100);
        assert_eq!(p.part1.unlocked_at_tge, p.allocation / 10);
        assert_eq!(p.part1.unlocked_at_tge + p.part1.milestone, p.part1.total);
    }

    #[test]
    fn penalty_steps() {
        let steps = [(0, 60), (89, 60), (90, 50), (179, 50), (180, 35), (269, 35), (270, 20), (364, 20), (365, 0), (5000, 0)];
        for (day, pct) in steps {
            assert_eq!(early_claim_penalty_pct(day), pct, "day {day}");
            let p = rewards(&activity(day, 0, 0, 0)).unwrap().part1;
            assert_eq!(p.penalty_today, p.milestone * pct as u128 / 100);
            assert_eq!(p.claimable_today, p.total - p.penalty_today);
        }
        // At TGE: the 10% unlock plus 40% of the milestone share.
        let p = rewards(&activity(0, 0, 0, 0)).unwrap().part1;
        assert_eq!(p.claimable_today, p.unlocked_at_tge + p.milestone - p.milestone * 60 / 100);
    }

    #[test]
    fn part2_vests_daily_only_on_active_days() {
        let full = rewards(&activity(PART2_DAYS, PART2_DAYS, 0, 0)).unwrap().part2;
        assert_eq!(full.vested, full.total);
        assert_eq!((full.missed, full.unvested), (0, 0));
        let half = rewards(&activity(730, 365, 0, 0)).unwrap().part2;
        assert_eq!(half.days_elapsed, 730);
        assert_eq!(half.vested, full.total * 365 / 1095);
        assert_eq!(half.vested + half.missed + half.unvested, half.total);
        assert_eq!(half.missed, full.total * 730 / 1095 - half.vested);
        // Vesting stops at 36 months.
        let late = rewards(&activity(4000, 1095, 0, 0)).unwrap().part2;
        assert_eq!(late.days_elapsed, PART2_DAYS);
        assert_eq!(late.vested, late.total);
        assert!(full.daily * 1095 <= full.total && full.total - full.daily * 1095 < 1095);
    }

    #[test]
    fn commission_only_on_delegated_days() {
        let p = rewards(&activity(100, 40, 60, 1_000)).unwrap().part2;
        let delegated = p.total * 60 / 1095;
        assert_eq!(p.operator_commission, delegated / 10);
        assert_eq!(p.owner_vested, p.vested - p.operator_commission);
        let none = rewards(&activity(100, 100, 0, 1_000)).unwrap().part2;
        assert_eq!(none.operator_commission, 0);
        let all = rewards(&activity(100, 0, 100, 10_000)).unwrap().part2;
        assert_eq!(all.owner_vested, 0);
    }

    #[test]
    fn bad_activity_is_an_error() {
        assert!(matches!(rewards(&activity(10, 6, 5, 0)), Err(RewardsError::TooManyActiveDays { active: 11, elapsed: 10 })));
        assert!(matches!(rewards(&activity(4000, 1000, 1000, 0)), Err(RewardsError::TooManyActiveDays { .. })));
        assert!(matches!(rewards(&activity(10, 0, 0, 10_001)), Err(RewardsError::Commission(10_001))));
    }

    #[test]
    fn panels_sum_and_serialise_as_strings() {
        let a = rewards(&activity(200, 200, 0, 0)).unwrap();
        let b = rewards(&activity(200, 0, 150, 500)).unwrap();
        let t = RewardsPanel::sum([&a, &b]);
        assert_eq!(t.licenses, 2);
        assert_eq!(t.owner_total_today, a.owner_total_today + b.owner_total_today);
        assert_eq!(t.part1.penalty_pct_today, 35);
        let json = serde_json::to_value(&t).unwrap();
        assert_eq!(json["allocation"], (2 * a.allocation).to_string());
        assert_eq!(json["part2"]["daysEarned"], 350);
    }
}
