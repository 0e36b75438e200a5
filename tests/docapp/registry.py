"""Registers TestDocument and its logging effects with the lifecycle machinery."""

from cuadra.documents.lifecycle import register_document_type, register_effect

EFFECT_STAGES = ("storage_audit", "entry_audit", "convert")


def _logger(kind: str, name: str):
    def log(ctx) -> None:
        from tests.docapp.models import TestEffectLog

        TestEffectLog.objects.create(company=ctx.company, document=ctx.document,
                                     stage=ctx.stage, kind=kind,
                                     action=ctx.transition.action, name=name)
    log.__name__ = f"{name}_{kind}"
    return log


def register() -> None:
    from tests.docapp.models import DEFAULT_WORKFLOW, DOCUMENT_TYPE, WORKFLOWS, TestDocument

    register_document_type(DOCUMENT_TYPE, model=TestDocument, workflows=WORKFLOWS,
                           default_workflow=DEFAULT_WORKFLOW)
    for stage in EFFECT_STAGES:
        name = f"log_{stage}"
        register_effect(DOCUMENT_TYPE, stage, apply=_logger("apply", name),
                        compensate=_logger("compensate", name), name=name)


def effect_log(document) -> list[tuple[str, str, str]]:
    """(kind, stage, action) of every effect call on the document, in order."""
    from tests.docapp.models import TestEffectLog

    return list(TestEffectLog.objects.filter(document=document)
                .values_list("kind", "stage", "action"))
