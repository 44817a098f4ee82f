"""Code catalogues 代码目录 for notification items: product types and colour codes (two levels
each), reason codes and materials. Maintained by an administrator, importable from .xlsx."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class CatalogEntry(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class TwoLevelEntry(CatalogEntry):
    """An entry whose parent (if any) is a first-level entry: two levels, never more."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    parent_id: int | None  # the column behind `parent` (the stubs do not see it on an abstract model)

    class Meta(CatalogEntry.Meta):
        abstract = True

    @property
    def level(self) -> int:
        return 2 if self.parent_id else 1

    def clean(self) -> None:
        if self.parent is not None and self.parent.parent_id:
            raise ValidationError({"parent": _("Only two levels are allowed: choose a first-level entry.")})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("An entry cannot be its own parent.")})


class ProductType(TwoLevelEntry):
    """Product type 产品类型: category 产品大类 (level 1, e.g. 06) and sub-type 具体分类 (level 2)."""

    class Meta(TwoLevelEntry.Meta):
        verbose_name = _("product type")
        verbose_name_plural = _("product types")


class ColourCode(TwoLevelEntry):
    """Colour code 产品色码: main colour 主色码 (level 1, e.g. A) and secondary colour 辅色码 (level 2)."""

    class Meta(TwoLevelEntry.Meta):
        verbose_name = _("colour code")
        verbose_name_plural = _("colour codes")


class ReasonCode(CatalogEntry):
    """Customer service reason code 原因代码 (e.g. 1 product quality)."""

    class Meta(CatalogEntry.Meta):
        verbose_name = _("reason code")
        verbose_name_plural = _("reason codes")


class Material(CatalogEntry):
    """A material 物料 (product model or spare part, e.g. 100056), with a list price for quotations.

    Materials are many (100k+), so the picker cannot hold them in memory like the small code
    tables: the pinyin initials of the name (活动柜锁 → hdgs) are stored and indexed, and kept
    in step with the name by `save()` whatever writes it (import, admin, data loads)."""

    name_initials = models.CharField(
        _("name initials"), max_length=100, blank=True, default="", editable=False, db_index=True
    )
    unit = models.CharField(_("unit"), max_length=10, default="PC")
    price = models.DecimalField(
        _("list price (CNY)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal(0))],
    )
    product_type = models.ForeignKey(
        ProductType, verbose_name=_("product type"), on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta(CatalogEntry.Meta):
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def save(self, *args, **kwargs) -> None:
        self.name_initials = material_initials(self.name)
        fields = kwargs.get("update_fields")
        if fields is not None and "name" in fields:
            kwargs["update_fields"] = {*fields, "name_initials"}
        super().save(*args, **kwargs)


def material_initials(name: str | None) -> str:
    """What `Material.name_initials` holds for `name` (bulk writers set it with this)."""
    from kefu.core.pinyin import initials

    return initials(name)[:100]
