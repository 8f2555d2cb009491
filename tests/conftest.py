"""Shared fixtures: a small valid ledger document that tests mutate."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from campaignkit.model.uscc import check_character


def uscc(serial: int, region: str = "340400") -> str:
    """A valid unified social credit code for a test enterprise."""
    body = f"91{region}MA{serial:07d}"[:17]
    return body + check_character(body)


def minimal_document() -> dict[str, Any]:
    """A small, valid 四送一服 ledger document (two teams, three enterprises)."""
    period = {"start": "2020-04-12", "end": "2020-05-12"}
    return {
        "format": "campaignkit-ledger",
        "version": 1,
        "campaign": {
            "id": "test-2020",
            "type": "sisong-yifu",
            "name": "测试专项行动",
            "period": period,
            "host_province": "340000",
            "phases": [
                {
                    "id": "p1",
                    "name": "第一阶段",
                    "period": {"start": "2020-04-12", "end": "2020-04-22"},
                }
            ],
            "scope": {
                "enterprise_classes": ["sme", "specialized"],
                "regions": ["340402", "340403"],
                "zones": ["HN-ETDZ"],
            },
        },
        "regions": [
            {"code": "340000", "name": "安徽省", "level": "province"},
            {"code": "340400", "name": "淮南市", "level": "city", "parent": "340000"},
            {"code": "340402", "name": "大通区", "level": "county", "parent": "340400"},
            {"code": "340403", "name": "田家庵区", "level": "county", "parent": "340400"},
            {"code": "HN-ETDZ", "name": "经开区", "level": "zone", "parent": "340400"},
        ],
        "work_groups": [
            {
                "id": "G7",
                "name": "第七工作组",
                "lead_unit": "省工商联",
                "headcount": 15,
                "host_region": "340400",
                "period": period,
                "teams": [
                    {"id": "T1", "name": "第一小组", "kind": "stationed", "regions": ["340402"]},
                    {"id": "T2", "name": "第二小组", "kind": "stationed", "regions": ["340403"]},
                    {"id": "T5", "name": "机动小组", "kind": "mobile"},
                ],
            }
        ],
        "enterprises": [
            {"id": "E1", "uscc": uscc(1), "name": "甲公司", "region": "340402", "classes": ["sme"]},
            {
                "id": "E2",
                "uscc": uscc(2),
                "name": "乙公司",
                "region": "340403",
                "classes": ["specialized", "sme"],
            },
            {
                "id": "E3",
                "uscc": uscc(3),
                "name": "丙公司",
                "region": "HN-ETDZ",
                "classes": ["above_scale"],
            },
        ],
        "activities": [
            {
                "id": "A1",
                "kind": "enterprise_visit",
                "date": "2020-04-13",
                "team": "T1",
                "region": "340402",
                "enterprises": ["E1"],
            },
            {
                "id": "A2",
                "kind": "enterprise_visit",
                "date": "2020-04-14",
                "team": "T2",
                "region": "340403",
                "enterprises": ["E2", "E1"],
            },
            {
                "id": "A3",
                "kind": "symposium",
                "date": "2020-04-15",
                "team": "T1",
                "region": "340402",
                "enterprises": ["E1"],
                "enterprise_count": 12,
            },
            {
                "id": "A4",
                "kind": "material_distribution",
                "date": "2020-04-16",
                "team": "T2",
                "figures": {"copies": 300},
            },
            {
                "id": "A5",
                "kind": "media_report",
                "date": "2020-04-20",
                "extra": {"media_level": "provincial"},
            },
            {
                "id": "A6",
                "kind": "media_report",
                "date": "2020-04-21",
                "extra": {"media_level": "city"},
            },
        ],
        "issues": [
            {
                "id": "I1",
                "category": "labour",
                "description": "普工招聘困难",
                "channel": "visit",
                "raised": "2020-04-13",
                "enterprise": "E1",
                "activity": "A1",
                "team": "T1",
                "events": [
                    {
                        "kind": "assigned",
                        "date": "2020-04-14",
                        "level": "county",
                        "department": "区人社局",
                    },
                    {"kind": "resolved", "date": "2020-04-24"},
                    {"kind": "return_visit", "date": "2020-04-28", "rating": "satisfied"},
                ],
            },
            {
                "id": "I2",
                "category": "finance",
                "description": "贷款到期续贷",
                "channel": "meeting",
                "raised": "2020-04-15",
                "enterprise": "E2",
                "events": [{"kind": "answered_on_spot", "date": "2020-04-15"}],
            },
            {
                "id": "I3",
                "category": "labour",
                "description": "技术工人短缺",
                "channel": "platform",
                "raised": "2020-04-16",
                "enterprise": "E3",
            },
        ],
        "outcomes": [
            {
                "id": "O1",
                "kind": "land_quota",
                "status": "signed",
                "date": "2020-04-30",
                "team": "T1",
                "enterprises": ["E1"],
                "land_mu": "12.5",
            },
            {
                "id": "O2",
                "kind": "financing",
                "status": "signed",
                "date": "2020-05-06",
                "team": "T2",
                "enterprises": ["E2"],
                "amount_yuan": "5000000",
                "parties": [{"role": "bank", "name": "某银行"}],
            },
            {
                "id": "O3",
                "kind": "investment_project",
                "status": "negotiating",
                "date": "2020-05-08",
                "amount_yuan": "300000000",
            },
        ],
    }


@pytest.fixture
def document() -> dict[str, Any]:
    """A fresh copy of the minimal document for each test to mutate."""
    return copy.deepcopy(minimal_document())
