from django.conf import settings
from django.views.decorators.csrf import csrf_exempt
from strawberry.django.views import GraphQLView

from cuadra.api.schema import schema

# CSRF protects cookie sessions; the API authenticates with bearer tokens, and a session
# user of GraphiQL is protected by SameSite cookies.
graphql_view = csrf_exempt(GraphQLView.as_view(schema=schema, graphql_ide="graphiql"
                                               if settings.DEBUG else None))
