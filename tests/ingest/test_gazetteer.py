"""Places and industries found by dictionary, and the tokenizer built on the same lexicons."""

from __future__ import annotations

import logging

from ingest.gazetteer import find_industries, find_places
from ingest.tokens import tokenize


def test_places_with_aliases_are_returned_canonical_in_order():
    text = "建设张江、临港、大零号湾等未来产业先导区，支持九亭、泗泾镇和 G60 科创走廊。"
    assert find_places(text) == [
        "张江",
        "临港新片区",
        "大零号湾",
        "九亭镇",
        "泗泾镇",
        "G60科创走廊",
    ]


def test_longest_name_wins():
    text = "嘉定新城、松江新城工业产值，临港松江科技城，松江大学城，松江区"
    assert find_places(text) == ["嘉定新城", "松江新城", "临港松江科技城", "松江大学城", "松江区"]


def test_local_names_count_only_in_their_district():
    text = "各街镇、经开区加快推进，争取新城工业产值年均增速高于全市"
    assert find_places(text, plan_region="松江区") == ["松江经济技术开发区", "松江新城"]
    assert find_places(text, plan_region="闵行区") == []
    assert find_places(text) == []


def test_short_district_names_only_in_shanghai_plans():
    text = "提升青浦、杨浦、闵行等应用基地能级"
    assert find_places(text, plan_region="上海市") == ["青浦区", "杨浦区", "闵行区"]
    assert find_places(text, plan_region="杭州市") == []


def test_traps_are_not_places():
    assert find_places("黄浦江两岸", plan_region="上海市") == ["黄浦江"]
    assert find_places("中山大学合作") == []


def test_responsibility_line_and_book_titles_are_not_mentions():
    text = "落实《上海市低效产业用地专项整治行动计划方案》要求。（责任单位：九亭镇、泗泾镇）"
    assert find_places(text, plan_region="松江区") == []


def test_traditional_and_full_width_text_matches():
    assert find_places("九亭鎮和Ｇ６０科創走廊") == ["九亭镇", "G60科创走廊"]


def test_industries_canonical_with_synonyms_and_groupings():
    text = (
        "落实“四个新赛道”“五大未来产业”行动方案，推进新材料向高端化延伸，"
        "加快新一代信息技术、新能源汽车、燃料电池汽车发展，布局人工智能芯片。"
    )
    assert find_industries(text) == [
        "四大新赛道",
        "五大未来产业",
        "先进材料",
        "新一代信息技术",
        "新能源汽车",
        "燃料电池汽车",
        "人工智能",
        "芯片",
    ]


def test_no_industry_in_plain_text():
    assert find_industries("完善工作推进机制，强化督查考核。") == []


def test_tokenize_keeps_lexicon_and_genre_words_whole():
    tokens = tokenize("市经济信息化委推动专精特新“小巨人”企业和集成电路产业发展")
    assert {"市经济信息化委", "专精特新", "小巨人", "集成电路"} <= set(tokens)
    assert "的" not in tokenize("集成电路的发展")
    assert "的" in tokenize("集成电路的发展", keep_stopwords=True)


def test_tokenize_joins_words_split_by_layout_and_folds_script():
    assert "市经济信息化委" in tokenize("市经济\n信息化委")
    assert "区经委" in tokenize("區經委")


def test_tokenizer_initialises_once_and_quietly(monkeypatch, capfd, caplog):
    from ingest import tokens

    monkeypatch.setattr(tokens, "_tokenizer", None)
    with caplog.at_level(logging.DEBUG):
        tokenize("九亭镇")
        first = tokens._tokenizer
        tokenize("泗泾镇")
    assert tokens._tokenizer is first
    assert "Building prefix dict" not in capfd.readouterr().err
    assert not [r for r in caplog.records if r.name == "jieba" and r.levelno >= logging.INFO]
