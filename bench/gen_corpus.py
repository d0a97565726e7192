"""Write N synthetic plans of the genre, seeded and reproducible, with a unit
registry per city.

    .venv/bin/python bench/gen_corpus.py --plans 100 --out bench/out/corpus

Each plan has objectives with numeric targets, 3–8 key domains with technology
directions, and 5–12 tasks whose clauses list 1–16 units drawn from its city's
registry with a Zipf-like skew (a few bureaus in most clauses), in the
annotation forms the extractor reads.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import yaml

CITIES = ["安顺", "遵义", "毕节", "铜仁", "凯里", "都匀", "兴义", "曲靖", "昭通", "宜宾", "泸州", "乐山", "绵阳", "德阳",
          "南充", "达州", "遂宁", "内江", "自贡", "攀枝花"]
BUREAUS = [("科技局", "science-technology-bureau", "Bureau of Science and Technology"),
           ("工业和信息化局", "industry-information-technology-bureau", "Bureau of Industry and Information Technology"),
           ("发展改革委", "development-reform-commission", "Development and Reform Commission"),
           ("财政局", "finance-bureau", "Bureau of Finance"), ("教育局", "education-bureau", "Bureau of Education"),
           ("能源局", "energy-bureau", "Energy Bureau"), ("农业农村局", "agriculture-bureau", "Bureau of Agriculture and Rural Affairs"),
           ("商务局", "commerce-bureau", "Bureau of Commerce"), ("人力资源社会保障局", "hrss-bureau", "Bureau of Human Resources and Social Security"),
           ("生态环境局", "ecology-bureau", "Bureau of Ecology and Environment"), ("卫生健康局", "health-bureau", "Bureau of Health"),
           ("交通运输局", "transport-bureau", "Bureau of Transport"), ("住房城乡建设局", "housing-bureau", "Bureau of Housing and Urban-Rural Development"),
           ("林业局", "forestry-bureau", "Forestry Bureau"), ("市场监管局", "market-regulation", "Administration for Market Regulation"),
           ("文化广电旅游局", "culture-tourism-bureau", "Bureau of Culture, Radio, Television and Tourism"),
           ("水务局", "water-bureau", "Bureau of Water Affairs"), ("自然资源局", "natural-resources-bureau", "Bureau of Natural Resources")]
DOMAINS = {
    "煤炭": ["智能化开采", "瓦斯抽采利用", "煤矸石综合利用", "矿井水处理"],
    "新能源": ["氢燃料电池", "储能电站", "光伏发电", "锂电池材料"],
    "新材料": ["铝合金", "石墨烯", "玄武岩纤维", "碳化硅陶瓷"],
    "装备制造": ["煤机装备", "智能巡检机器人", "传感器", "数控机床"],
    "大数据": ["5G", "人工智能", "区块链", "工业互联网"],
    "特色农业": ["茶叶加工", "食用菌", "刺梨深加工", "山地农机"],
    "生物医药": ["中药材种植", "医疗器械", "疫苗研发", "健康监测"],
    "生态环保": ["碳排放监测", "土壤修复", "污水处理", "固废资源化"],
}
TASKS = ["加大研发投入", "培育创新主体", "建设创新平台", "引进创新人才", "促进成果转化", "完善服务体系", "深化体制改革",
         "推进开放合作", "优化创新环境", "强化金融支持", "加强知识产权保护", "提升园区创新能力"]
ACTIONS = ["支持企业开展关键技术攻关", "建设一批重点实验室", "培育一批高新技术企业", "引进一批高层次人才团队", "建设科技成果转化中心",
           "完善科技金融服务", "举办创新创业大赛", "推进产学研合作"]


def registry(city: str, slug: str) -> dict:
    units = [{"id": "municipal-government", "zh": f"{city}市人民政府", "en": f"{slug.title()} Municipal People's Government",
              "written": ["市政府"], "type": "municipalGovernment"}]
    for zh, uid, en in BUREAUS:
        units.append({"id": uid, "zh": f"{city}市{zh}", "en": f"{slug.title()} Municipal {en}", "written": [f"市{zh}"],
                      "type": "governmentDepartment", "parent": "municipal-government"})
    return {"jurisdiction": {"id": slug, "zh": f"{city}市", "en": slug.title()}, "units": units, "groups": [], "changes": []}


def units_for(rng: random.Random) -> list[str]:
    k = min(len(BUREAUS), max(1, int(rng.paretovariate(1.2))))
    k = min(16, k)
    weights = [1 / (i + 1) ** 1.1 for i in range(len(BUREAUS))]  # a few bureaus in most clauses
    chosen: list[str] = []
    while len(chosen) < k:
        name = "市" + rng.choices(BUREAUS, weights)[0][0]
        if name not in chosen:
            chosen.append(name)
    return chosen


def plan_text(rng: random.Random, city: str, year: int) -> str:
    lines = [f"{city}市科技创新行动方案", f"({year}—{year + 2}年)", f"为推动{city}市科技创新,制定本方案。", "一、工作目标",
             f"——创新能力明显提升。到{year + 2}年,全社会R&D经费支出占GDP比重达{rng.randint(10, 30) / 10}%以上,"
             f"高新技术企业达{rng.randint(50, 400)}家以上。", "二、重点领域"]
    cn = "一二三四五六七八九十"
    for i, domain in enumerate(rng.sample(sorted(DOMAINS), rng.randint(3, 8))):
        techs = rng.sample(DOMAINS[domain], rng.randint(2, 4))
        lines.append(f"({cn[i]}){domain}领域。围绕{domain}产业发展等方向,重点支持{'、'.join(techs)}等技术研发"
                     f"(责任单位:{'、'.join(units_for(rng))})。")
    lines.append("三、重点任务")
    for i, task in enumerate(rng.sample(TASKS, rng.randint(5, 10))):
        parts = [f"{rng.choice(ACTIONS)}(责任单位:{'、'.join(units_for(rng))})" for _ in range(rng.randint(1, 3))]
        lines.append(f"({cn[i]}){task}。" + ";".join(parts) + "。")
    lines += ["四、保障措施", "(一)加强组织领导。建立工作推进机制。"]
    return "\n".join(lines) + "\n"


def task_table(rows: int, seed: int = 7, city: str = "安顺") -> str:
    """One plan that is a written task table of ``rows`` rows (序号, 重点任务, 牵头单位, 配合单位, 完成时限, cells
    parted by tabs): about 95 characters a row, so 5,000 rows are some 470 KB, the size a very large plan reaches."""
    rng = random.Random(seed)
    lines = [f"{city}市2023年重点工作任务分解表", "序号\t重点任务\t牵头单位\t配合单位\t完成时限"]
    for i in range(1, rows + 1):
        units = units_for(rng) + ["市" + b[0] for b in rng.sample(BUREAUS, 2)]
        lead, support = units[0], [u for u in dict.fromkeys(units[1:]) if u != units[0]][:3]
        task = f"{rng.choice(ACTIONS)},{rng.choice(TASKS)},确保第{i}项任务按期完成{rng.choice(list(DOMAINS))}领域目标,每季度末报送一次工作进展情况。"
        lines.append(f"{i}\t{task}\t{lead}\t{'、'.join(support)}\t2023年{rng.randint(1, 12)}月底前")
    return "\n".join(lines) + "\n"


def generate(n: int, out: Path, seed: int = 7) -> list[tuple[Path, str, str]]:
    """Write n plans and the registries; return (file, slug, jurisdiction) for each plan."""
    rng = random.Random(seed)
    (out / "registry").mkdir(parents=True, exist_ok=True)
    plans = []
    for c, city in enumerate(CITIES):
        slug = f"city{c:02d}"
        (out / "registry" / f"units-{slug}.yaml").write_text(yaml.safe_dump(registry(city, slug), allow_unicode=True), encoding="utf-8")
    for i in range(n):
        c = i % len(CITIES)
        year = 2021 + (i // len(CITIES)) % 5
        path = out / f"plan-{i:04d}.txt"
        path.write_text(plan_text(rng, CITIES[c], year), encoding="utf-8")
        plans.append((path, f"plan-{i:04d}", f"city{c:02d}"))
    return plans


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--plans", type=int, default=10)
    ap.add_argument("--out", type=Path, default=Path("bench/out/corpus"))
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    plans = generate(args.plans, args.out, args.seed)
    print(f"wrote {len(plans)} plans and {len(CITIES)} registries to {args.out}")


if __name__ == "__main__":
    main()
