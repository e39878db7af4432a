"""Web round 45: fresh41's false findings and misses. A list handler that cuts its rows with
`.offset()`/`.limit()` on values of a parameter pages them, whatever the parameter and its model
are named (warren's `Pagination` dependency)."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

_PAGING_MODEL = """
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlmodel import Session, select

from shop.db import Item, get_session

router = APIRouter(prefix="/v1")


class Window(BaseModel):
    start: int = Query(default=0, ge=0)
    size: int = Query(default=50, le=50)


@router.get("/items", response_model=list[Item])
def items(window: Annotated[Window, Depends()], session: Session = Depends(get_session)):
    return session.exec(select(Item).offset(window.start).limit(window.size)).all()


@router.get("/all-items", response_model=list[Item])
def all_items(session: Session = Depends(get_session)):
    return session.exec(select(Item).limit(1000)).all()
"""


def test_a_list_cut_by_a_parameter_model_is_paginated(tmp_path: Path) -> None:
    """`items` pages by the window its caller sends; `all_items` cuts at a constant it picks
    itself and stays reported."""
    found = web_findings(tmp_path, {"shop/items.py": _PAGING_MODEL}, "list-not-paginated")
    assert found == {("shop/items.py", 23)}
