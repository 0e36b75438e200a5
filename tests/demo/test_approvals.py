from decimal import Decimal

from cuadra.approvals.models import ApprovalConfig
from cuadra.demo import approvals


def test_demo_policy_is_anything_over_500_to_the_owner_once(platform):
    approvals.load(company=platform.demo, actor=platform.owner)
    approvals.load(company=platform.demo, actor=platform.owner)
    config = ApprovalConfig.objects.get(company=platform.demo)
    assert (config.threshold, config.approver_user_ids, config.approval_mode) == (
        Decimal("500"), [platform.owner.pk], "ANY_ONE")
