from django.contrib import admin

from cuadra.access.models import ApiToken, Role, RoleAssignment


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "organization", "is_builtin")
    list_filter = ("organization", "is_builtin")


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "company")
    list_filter = ("company", "role")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are minted by `cuadra token create` or the API; here they can only be seen."""

    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("user", "name", "prefix", "key_hash", "last_used_at", "revoked_at")

    def has_add_permission(self, request):
        return False
