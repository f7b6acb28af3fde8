//! A supervisor's behaviour rating on an anchored 1–5 scale: each level has a written anchor
//! (what behaviour earns it) and a score, so that two supervisors rating the same behaviour
//! give the same level, and the level becomes a 0–100 score like any KPI.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::CoreError;

/// One level of the scale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    /// 1 (lowest) to 5 (highest).
    pub level: u8,
    /// The score the level is worth, 0–100.
    pub score: Decimal,
    /// The behaviour that earns the level, in English.
    pub text_en: String,
    /// The behaviour that earns the level, in Chinese.
    pub text_zh: String,
}

/// The five anchors, level 1 first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<Anchor>", into = "Vec<Anchor>")]
pub struct AnchoredScale(Vec<Anchor>);

impl AnchoredScale {
    /// Checks there are exactly levels 1 to 5 in order, each with both texts, and scores
    /// rising strictly within 0–100.
    pub fn new(anchors: Vec<Anchor>) -> Result<AnchoredScale, CoreError> {
        let err = |r: &str| Err(CoreError::rule("behaviour scale", r));
        if anchors.len() != 5 || anchors.iter().zip(1..).any(|(a, l)| a.level != l) {
            return err("levels 1 to 5 are needed, in order");
        }
        if anchors
            .iter()
            .any(|a| a.text_en.trim().is_empty() || a.text_zh.trim().is_empty())
        {
            return err("every level needs its anchor text in English and Chinese");
        }
        let in_range = |s: Decimal| s >= Decimal::ZERO && s <= Decimal::ONE_HUNDRED;
        if !anchors.iter().all(|a| in_range(a.score))
            || anchors.windows(2).any(|w| w[1].score <= w[0].score)
        {
            return err("scores must rise strictly from level 1 to 5, within 0 to 100");
        }
        Ok(AnchoredScale(anchors))
    }

    /// The default scale: level × 20, so "meets expectations" (3) scores 60.
    pub fn standard() -> AnchoredScale {
        let anchors = STANDARD
            .iter()
            .zip(1_u8..)
            .map(|((en, zh), level)| Anchor {
                level,
                score: Decimal::from(u32::from(level) * 20),
                text_en: (*en).into(),
                text_zh: (*zh).into(),
            })
            .collect();
        AnchoredScale(anchors)
    }

    /// The anchor of a level.
    pub fn anchor(&self, level: u8) -> Option<&Anchor> {
        self.0.iter().find(|a| a.level == level)
    }

    /// The score of a rating; a level outside 1–5 is an error.
    pub fn score(&self, level: u8) -> Result<Decimal, CoreError> {
        self.anchor(level).map(|a| a.score).ok_or_else(|| {
            CoreError::invalid("behaviour rating", &level.to_string(), "must be 1 to 5")
        })
    }

    /// The anchors, level 1 first.
    pub fn anchors(&self) -> &[Anchor] {
        &self.0
    }
}

impl TryFrom<Vec<Anchor>> for AnchoredScale {
    type Error = CoreError;
    fn try_from(v: Vec<Anchor>) -> Result<Self, CoreError> {
        AnchoredScale::new(v)
    }
}

impl From<AnchoredScale> for Vec<Anchor> {
    fn from(s: AnchoredScale) -> Self {
        s.0
    }
}

const STANDARD: [(&str, &str); 5] = [
    (
        "Repeatedly breaks service rules or team agreements, even after coaching",
        "辅导后仍多次违反服务规范或团队约定",
    ),
    (
        "Sometimes misses service rules or team agreements; needs regular reminders",
        "偶有违反服务规范或团队约定，需要经常提醒",
    ),
    (
        "Follows service rules and team agreements; cooperates when asked",
        "遵守服务规范和团队约定，需要时能配合",
    ),
    (
        "Follows the rules without reminders and helps colleagues unprompted",
        "无需提醒即遵守规范，主动帮助同事",
    ),
    (
        "A model for the team: coaches others and improves how the team works",
        "团队表率：带教他人并改进团队工作方式",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn the_standard_scale_maps_levels_to_twenty_points_each() {
        let s = AnchoredScale::standard();
        assert!(AnchoredScale::new(s.anchors().to_vec()).is_ok());
        assert_eq!(s.score(1).unwrap(), dec!(20));
        assert_eq!(s.score(3).unwrap(), dec!(60));
        assert_eq!(s.score(5).unwrap(), dec!(100));
        assert_eq!(s.score(0).unwrap_err().code(), "invalid_value");
        assert_eq!(s.score(6).unwrap_err().code(), "invalid_value");
        assert!(s.anchor(4).unwrap().text_zh.contains("主动"));
    }

    #[test]
    fn a_scale_with_missing_levels_texts_or_falling_scores_is_rejected() {
        let good = AnchoredScale::standard().anchors().to_vec();
        let mut four = good.clone();
        four.pop();
        let mut no_text = good.clone();
        no_text[2].text_zh = " ".into();
        let mut falling = good.clone();
        falling[3].score = dec!(50);
        let mut over = good.clone();
        over[4].score = dec!(120);
        let mut order = good;
        order.swap(0, 1);
        for bad in [four, no_text, falling, over, order] {
            assert_eq!(AnchoredScale::new(bad).unwrap_err().code(), "invalid_rule");
        }
    }

    #[test]
    fn a_stored_scale_is_validated_when_read() {
        let json = serde_json::to_string(&AnchoredScale::standard()).unwrap();
        let back: AnchoredScale = serde_json::from_str(&json).unwrap();
        assert_eq!(back, AnchoredScale::standard());
        let broken = json.replace("\"score\":\"100\"", "\"score\":\"10\"");
        assert!(serde_json::from_str::<AnchoredScale>(&broken).is_err());
    }
}
