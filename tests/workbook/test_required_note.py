"""The template's issue sheet says which issues must fill in an extra column required of
some channels or categories only (a plugin's campaign type declares it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest

from campaignkit import hookimpl
from campaignkit.plugins.sisong_yifu import CAMPAIGN_TYPE
from campaignkit.rules.records import CampaignType, ExtraAttribute, Label
from campaignkit.testing import plugin_manager
from campaignkit.workbook.excel import write_template
from campaignkit.workbook.sheets import ISSUES

KEY = "platform-tickets"


class Tickets:
    def __init__(self, **conditions: Any) -> None:
        ticket = ExtraAttribute(
            "issue", "ticket", "str", Label("工单号", "ticket number"), required=True, **conditions
        )
        extra = (*CAMPAIGN_TYPE.extra_attributes, ticket)
        self.type = attrs.evolve(CAMPAIGN_TYPE, key=KEY, extra_attributes=extra)

    @hookimpl
    def campaignkit_campaign_types(self) -> Iterator[CampaignType]:
        yield self.type


@pytest.mark.parametrize(
    ("conditions", "note"),
    [
        ({"required_channels": ("platform", "phone")}, "必填：渠道为综合服务平台、电话的问题"),
        ({"required_categories": ("labour",)}, "必填：用工问题"),
        (
            {"required_channels": ("platform",), "required_categories": ("labour",)},
            "必填：渠道为综合服务平台的用工问题",
        ),
    ],
)
def test_the_column_note_names_the_channels_and_categories(
    tmp_path: Path, conditions: dict[str, Any], note: str
) -> None:
    with plugin_manager(Tickets(**conditions)) as pm:
        book = write_template(tmp_path / "template.xlsx", campaign_type=KEY, manager=pm)
    sheet = openpyxl.load_workbook(book)[ISSUES]
    (cell,) = [c for c in sheet[1] if c.value == "工单号"]
    assert cell.comment is not None
    assert cell.comment.text == note
