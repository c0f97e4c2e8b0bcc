package dev.gridserve.api;

import dev.gridserve.ratelimit.RateLimitFilter;
import dev.gridserve.search.TableQuery;
import dev.gridserve.system.ApiException;
import dev.gridserve.tables.QueryProperties;
import dev.gridserve.tables.Table;
import dev.gridserve.tables.Tables;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.language.StringValue;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLScalarType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.graphql.autoconfigure.GraphQlSourceBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.graphql.execution.DataFetcherExceptionResolverAdapter;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.webmvc.GraphQlHttpHandler;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import tools.jackson.databind.json.JsonMapper;

/**
 * GraphQL at /graphql (GraphiQL at /graphiql): the schema written from the tables' schema files, each field wired
 * to {@link GraphQlFetchers}, depth and complexity limits, and {@link ApiException}s as GraphQL errors carrying
 * the REST status and field problems.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GraphQlProperties.class)
class GraphQlConfig {
    private final List<Table> tables;
    /** Each table's GraphQL names, by table name. */
    private final Map<String, GraphQlNames> names;
    /** The list fields of every table: their page size counts towards a query's complexity. */
    private final Set<String> listFields;

    private final int defaultPageSize;

    GraphQlConfig(Tables tables, QueryProperties query) {
        this.tables = StreamSupport.stream(tables.all().spliterator(), false).toList();
        this.names = GraphQlNames.of(this.tables.stream().map(Table::schema).toList());
        this.listFields =
                Set.copyOf(names.values().stream().map(GraphQlNames::list).toList());
        this.defaultPageSize = query.defaultPageSize();
    }

    @Bean
    GraphQlSourceBuilderCustomizer tablesSchema(TableService service, JsonMapper mapper, RateLimitFilter rateLimits) {
        String sdl = GraphQlSchemaText.write(tables, names);
        GraphQlFetchers fetchers = new GraphQlFetchers(service, mapper, rateLimits);
        return builder -> builder.schemaResources(new ByteArrayResource(sdl.getBytes(StandardCharsets.UTF_8)) {
                    @Override
                    public String getFilename() {
                        return "tables.graphqls";
                    }
                })
                .configureRuntimeWiring(wiring -> {
                    wiring.scalar(LONG);
                    for (Table t : tables) {
                        GraphQlNames n = names.get(t.name());
                        wiring.type(
                                "Query",
                                q -> q.dataFetcher(n.list(), fetchers.list(t))
                                        .dataFetcher(n.one(), fetchers.one(t))
                                        .dataFetcher(n.stats(), fetchers.stats(t)));
                        wiring.type(
                                "Mutation",
                                m -> m.dataFetcher(n.create(), fetchers.create(t))
                                        .dataFetcher(n.update(), fetchers.update(t))
                                        .dataFetcher(n.delete(), fetchers.delete(t)));
                    }
                });
    }

    /**
     * The /graphql handler with a JSON converter of its own: the service's mapper writes snake_case, which would
     * read GraphQL's {@code operationName} as {@code operation_name} and drop it.
     */
    @Bean
    GraphQlHttpHandler graphQlHttpHandler(WebGraphQlHandler handler) {
        return new GraphQlHttpHandler(
                handler,
                new JacksonJsonHttpMessageConverter(JsonMapper.builder().build()));
    }

    @Bean
    MaxQueryDepthInstrumentation graphQlDepthLimit(GraphQlProperties props) {
        return new MaxQueryDepthInstrumentation(props.maxDepth());
    }

    @Bean
    MaxQueryComplexityInstrumentation graphQlComplexityLimit(GraphQlProperties props) {
        return new MaxQueryComplexityInstrumentation(props.maxComplexity(), (env, children) -> {
            int cost = 1 + children;
            if (listFields.contains(env.getField().getName())
                    && env.getParentType().getName().equals("Query")) {
                Object size = env.getArguments().get("pageSize");
                // past the largest page, the parser's 422 says what the limit is
                int pageSize =
                        size instanceof Integer i && i > 0 ? Math.min(i, TableQuery.MAX_PAGE_SIZE) : defaultPageSize;
                cost += pageSize / 10;
            }
            return cost;
        });
    }

    /** ApiExceptions as errors with REST's sentence, its status and its field problems. */
    @Bean
    DataFetcherExceptionResolverAdapter apiErrors() {
        return new DataFetcherExceptionResolverAdapter() {
            @Override
            protected GraphQLError resolveToSingleError(Throwable ex, DataFetchingEnvironment env) {
                if (!(ex instanceof ApiException e)) {
                    return null; // Spring's INTERNAL_ERROR, without details
                }
                List<Map<String, String>> problems = new ArrayList<>();
                for (ApiException.FieldProblem p : e.errors()) {
                    problems.add(Map.of("field", p.field(), "message", p.message()));
                }
                return GraphqlErrorBuilder.newError(env)
                        .errorType(
                                switch (e.status().value()) {
                                    case 401 -> ErrorType.UNAUTHORIZED;
                                    case 403 -> ErrorType.FORBIDDEN;
                                    case 404 -> ErrorType.NOT_FOUND;
                                    default ->
                                        e.status().is4xxClientError()
                                                ? ErrorType.BAD_REQUEST
                                                : ErrorType.INTERNAL_ERROR;
                                })
                        .message(e.getMessage())
                        .extensions(
                                problems.isEmpty()
                                        ? Map.of("status", e.status().value())
                                        : Map.of("status", e.status().value(), "errors", problems))
                        .build();
            }
        };
    }

    /** Longs as JSON numbers; read from numbers or digit strings. */
    static final GraphQLScalarType LONG = GraphQLScalarType.newScalar()
            .name("Long")
            .coercing(new Coercing<Long, Long>() {
                @Override
                public Long serialize(Object v) {
                    if (v instanceof Number n) {
                        return n.longValue();
                    }
                    throw new CoercingSerializeException("Not a whole number: " + v);
                }

                @Override
                public Long parseValue(Object v) {
                    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
                        return n.longValue();
                    }
                    if (v instanceof String s && s.matches("-?[0-9]{1,18}")) {
                        return Long.parseLong(s);
                    }
                    throw new CoercingParseValueException("Expected a whole number, got " + v);
                }

                @Override
                public Long parseLiteral(Object literal) {
                    if (literal instanceof graphql.language.IntValue i
                            && i.getValue().bitLength() < 64) {
                        return i.getValue().longValue();
                    }
                    if (literal instanceof StringValue s && s.getValue().matches("-?[0-9]{1,18}")) {
                        return Long.parseLong(s.getValue());
                    }
                    throw new CoercingParseLiteralException("Expected a whole number that fits 64 bits");
                }
            })
            .build();
}
