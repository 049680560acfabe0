using LanguageExt;

namespace Klaviyo;

/// <summary>What the spec says about one operation.</summary>
/// <param name="OperationId">The spec's operationId, e.g. <c>get_profiles</c>.</param>
/// <param name="Tag">The spec tag, e.g. <c>Profiles</c>; the static class holding the operation.</param>
/// <param name="MethodName">The C# method name, e.g. <c>GetProfiles</c>.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="PathTemplate">The path template, e.g. <c>/api/profiles/{id}</c>.</param>
/// <param name="PathParameters">The path parameter names, in path order.</param>
/// <param name="RequestContentType">The request body's content type, or <c>null</c> when there is no body.</param>
/// <param name="QueryParameters">The query parameters with their constraints.</param>
/// <param name="SuccessStatus">The documented 2xx status (200, 201, 202 or 204).</param>
/// <param name="RateLimit">The rate-limit tier.</param>
/// <param name="Scopes">The OAuth scopes required.</param>
/// <param name="Aliases">Older operationIds (<c>x-klaviyo-operation-aliases</c>).</param>
/// <param name="Paginated">Whether the operation pages (cursor pagination, <c>links.next</c>).</param>
/// <param name="Filters">The fields and operators <c>filter</c> allows (<c>x-klaviyo-filters</c>); empty when none are listed.</param>
/// <param name="Summary">The spec's one-line summary.</param>
public sealed record CatalogEntry(
    string OperationId,
    string Tag,
    string MethodName,
    HttpMethod Method,
    string PathTemplate,
    Seq<string> PathParameters,
    string? RequestContentType,
    Seq<QueryParameterInfo> QueryParameters,
    int SuccessStatus,
    RateLimitTier RateLimit,
    Seq<string> Scopes,
    Seq<string> Aliases,
    bool Paginated,
    Seq<FilterFieldInfo> Filters,
    string Summary
);

/// <summary>A query parameter of an operation.</summary>
/// <param name="Name">The wire name, e.g. <c>fields[profile]</c>.</param>
/// <param name="Required">Whether it must be given.</param>
/// <param name="IsArray">Whether it takes a comma-joined list (<c>explode: false</c>).</param>
/// <param name="AllowedValues">The enum values allowed; empty when any value is allowed.</param>
/// <param name="Minimum">The smallest integer allowed, when bounded.</param>
/// <param name="Maximum">The largest integer allowed, when bounded.</param>
public sealed record QueryParameterInfo(
    string Name,
    bool Required,
    bool IsArray,
    Seq<string> AllowedValues,
    int? Minimum,
    int? Maximum
);

/// <summary>A rate: <see cref="Count"/> requests per <see cref="Per"/>.</summary>
/// <param name="Count">How many requests.</param>
/// <param name="Per">In what window.</param>
public sealed record Rate(int Count, TimeSpan Per)
{
    /// <summary>Like <c>75/s</c>, <c>700/m</c>, <c>50/d</c>.</summary>
    public override string ToString() =>
        $"{Count}/{(Per == TimeSpan.FromSeconds(1) ? "s" : Per == TimeSpan.FromMinutes(1) ? "m" : Per == TimeSpan.FromHours(1) ? "h" : Per == TimeSpan.FromDays(1) ? "d" : Per.ToString())}";
}

/// <summary>An operation's rate-limit tier from <c>x-klaviyo-ratelimit</c>.</summary>
/// <param name="Burst">The burst limit (per second), when given.</param>
/// <param name="Steady">The steady limit (per minute), when given.</param>
/// <param name="Daily">The daily limit, when given.</param>
public sealed record RateLimitTier(Rate? Burst, Rate? Steady, Rate? Daily)
{
    /// <summary>Like <c>75/s burst, 700/m steady</c>.</summary>
    public override string ToString() =>
        string.Join(
            ", ",
            new[]
            {
                Burst is null ? null : $"{Burst} burst",
                Steady is null ? null : $"{Steady} steady",
                Daily is null ? null : $"{Daily} daily",
            }.Where(s => s is not null)
        );
}

/// <summary>A field <c>filter</c> allows, with its operators (<c>x-klaviyo-filters</c>).</summary>
/// <param name="Field">The field, e.g. <c>email</c> or <c>subscriptions.email.marketing.suppression.reason</c>.</param>
/// <param name="SingleOperators">Operators taking one value, e.g. <c>equals</c>.</param>
/// <param name="ListOperators">Operators taking a list, e.g. <c>any</c>.</param>
/// <param name="ValueType">The value's JSON type: <c>string</c>, <c>integer</c>, <c>number</c>, <c>boolean</c>, <c>array</c>; <c>none</c> when the field takes no value.</param>
/// <param name="ValueFormat">The value's format, e.g. <c>date-time</c>, when given.</param>
public sealed record FilterFieldInfo(
    string Field,
    Seq<string> SingleOperators,
    Seq<string> ListOperators,
    string ValueType,
    string? ValueFormat
)
{
    /// <summary>
    /// Operators taking the field alone, no value, e.g. <c>has</c> in <c>has(profile)</c>. A field that only allows
    /// these has <see cref="ValueType"/> <c>none</c>.
    /// </summary>
    public Seq<string> NoValueOperators { get; init; } = LanguageExt.Prelude.Seq<string>();

    /// <summary>The values the field may be compared with (the spec's <c>enum</c>); empty when any value of the type is allowed.</summary>
    public Seq<string> AllowedValues { get; init; } = LanguageExt.Prelude.Seq<string>();
}
