//! Chinese personal names from surname and given-name character lists.

use super::rng::Rng;

/// Common surnames, roughly most frequent first.
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
    "韦", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "段", "雷", "侯", "龙", "史",
    "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱", "欧阳", "司马", "诸葛",
];

/// Characters used in given names.
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "霞", "平", "刚", "玲", "桂", "英", "华", "燕", "辉", "鹏", "婷", "倩", "欣", "晨", "宇",
    "浩", "博", "佳", "琪", "雪", "梅", "琳", "颖", "斌", "凯", "帆", "晓", "文", "俊", "思", "嘉",
    "怡", "悦", "诗", "雨", "子", "涵", "睿", "泽", "楠", "婉", "峰", "健", "亮", "彬", "莉", "萍",
    "红", "兰", "君", "建", "志", "新", "海", "春", "秀", "慧", "敏", "瑶", "璐", "昊", "然", "一",
    "可", "心", "星", "阳", "航", "天", "乐", "安", "宁", "翔",
];

/// A plausible full name: a surname (frequent ones more likely) and one or two characters.
pub fn person(rng: &mut Rng) -> String {
    // The smaller of two uniform draws favours the front of the list.
    let n = SURNAMES.len() as u64;
    let i = rng.below(n).min(rng.below(n)) as usize;
    let mut name = String::from(SURNAMES[i]);
    let given = if rng.chance(0.7) { 2 } else { 1 };
    for _ in 0..given {
        name.push_str(GIVEN[rng.below(GIVEN.len() as u64) as usize]);
    }
    name
}

/// 一 … 十 for 1–10, digits beyond.
pub fn numeral(n: u32) -> String {
    const ZH: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    match n {
        1..=10 => ZH[n as usize - 1].to_string(),
        _ => n.to_string(),
    }
}
