using System.Diagnostics.CodeAnalysis;
using System.Text;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// A Klaviyo <c>filter</c> expression as an immutable tree. <see cref="ToString"/> renders the expression, and a
/// <see cref="Filter"/> converts implicitly to <see cref="string"/>, so it can be passed wherever an operation takes
/// <c>string? filter</c>.
/// </summary>
/// <remarks>
/// <para>Which fields and operators an endpoint accepts is listed per operation in the spec (and checked when the
/// request is built); the tree itself allows any combination. Date-times are written unquoted in UTC, text is
/// double-quoted with backslash escapes; see <see cref="FilterValue"/>.</para>
/// <para><c>and</c> (or top-level commas) is how Klaviyo's documentation combines conditions; <c>or</c> and
/// <c>not</c> are part of the syntax too, but not every endpoint accepts them, so check the endpoint's documentation
/// before relying on them.</para>
/// <example><code>
/// Filter f = Filter.Equals("messages.channel", "email")
///     &amp; Filter.GreaterOrEqual("created_at", new DateTimeOffset(2024, 8, 1, 7, 0, 0, TimeSpan.Zero));
/// // and(equals(messages.channel,"email"),greater-or-equal(created_at,2024-08-01T07:00:00Z))
/// var op = Campaigns.GetCampaigns(filter: f);
/// </code></example>
/// </remarks>
public abstract record Filter
{
    private Filter() { }

    /// <summary>The operators comparing a field with a value, by their wire names.</summary>
    public static readonly Seq<string> ComparisonOperators = Prelude.Seq(
        "equals",
        "any",
        "contains",
        "contains-any",
        "contains-all",
        "starts-with",
        "ends-with",
        "greater-than",
        "greater-or-equal",
        "less-than",
        "less-or-equal"
    );

    /// <summary>The operators whose value must be a list.</summary>
    public static readonly Seq<string> ListOnlyOperators = Prelude.Seq(
        "any",
        "contains-any",
        "contains-all"
    );

    /// <summary><c>equals(field,value)</c>; the value may also be a list where the endpoint allows it.</summary>
    /// <param name="field">The field, e.g. <c>email</c>.</param>
    /// <param name="value">The value.</param>
    public static Filter Equals(string field, FilterValue value) =>
        new Comparison("equals", field, value);

    /// <summary><c>any(field,[values])</c>: the field equals one of the values.</summary>
    /// <param name="field">The field.</param>
    /// <param name="values">The values.</param>
    public static Filter Any(string field, params FilterValue[] values) =>
        new Comparison("any", field, FilterValue.ListOf(values));

    /// <summary><c>any(field,[values])</c>: the field equals one of the values.</summary>
    /// <param name="field">The field.</param>
    /// <param name="values">The values.</param>
    public static Filter Any(string field, IEnumerable<string> values) =>
        new Comparison("any", field, FilterValue.ListOf(values));

    /// <summary><c>contains(field,value)</c>.</summary>
    /// <param name="field">The field.</param>
    /// <param name="value">The value.</param>
    public static Filter Contains(string field, FilterValue value) =>
        new Comparison("contains", field, value);

    /// <summary><c>contains-any(field,[values])</c>: the field (an array) contains at least one of the values.</summary>
    /// <param name="field">The field.</param>
    /// <param name="values">The values.</param>
    public static Filter ContainsAny(string field, params FilterValue[] values) =>
        new Comparison("contains-any", field, FilterValue.ListOf(values));

    /// <summary><c>contains-any(field,[values])</c>: the field (an array) contains at least one of the values.</summary>
    /// <param name="field">The field.</param>
    /// <param name="values">The values.</param>
    public static Filter ContainsAny(string field, IEnumerable<string> values) =>
        new Comparison("contains-any", field, FilterValue.ListOf(values));

    /// <summary><c>contains-all(field,[values])</c>: the field (an array) contains every value.</summary>
    /// <param name="field">The field.</param>
    /// <param name="values">The values.</param>
    public static Filter ContainsAll(string field, params FilterValue[] values) =>
        new Comparison("contains-all", field, FilterValue.ListOf(values));

    /// <summary><c>contains-all(field,[values])</c>: the field (an array) contains every value.</summary>
    /// <param name="field">The field.</param>
    /// <param name="values">The values.</param>
    public static Filter ContainsAll(string field, IEnumerable<string> values) =>
        new Comparison("contains-all", field, FilterValue.ListOf(values));

    /// <summary><c>starts-with(field,value)</c>.</summary>
    /// <param name="field">The field.</param>
    /// <param name="value">The prefix.</param>
    public static Filter StartsWith(string field, FilterValue value) =>
        new Comparison("starts-with", field, value);

    /// <summary><c>ends-with(field,value)</c>.</summary>
    /// <param name="field">The field.</param>
    /// <param name="value">The suffix.</param>
    public static Filter EndsWith(string field, FilterValue value) =>
        new Comparison("ends-with", field, value);

    /// <summary><c>greater-than(field,value)</c>, for numbers and date-times.</summary>
    /// <param name="field">The field.</param>
    /// <param name="value">The bound (exclusive).</param>
    public static Filter GreaterThan(string field, FilterValue value) =>
        new Comparison("greater-than", field, value);

    /// <summary><c>greater-or-equal(field,value)</c>, for numbers and date-times.</summary>
    /// <param name="field">The field.</param>
    /// <param name="value">The bound (inclusive).</param>
    public static Filter GreaterOrEqual(string field, FilterValue value) =>
        new Comparison("greater-or-equal", field, value);

    /// <summary><c>less-than(field,value)</c>, for numbers and date-times.</summary>
    /// <param name="field">The field.</param>
    /// <param name="value">The bound (exclusive).</param>
    public static Filter LessThan(string field, FilterValue value) =>
        new Comparison("less-than", field, value);

    /// <summary><c>less-or-equal(field,value)</c>, for numbers and date-times.</summary>
    /// <param name="field">The field.</param>
    /// <param name="value">The bound (inclusive).</param>
    public static Filter LessOrEqual(string field, FilterValue value) =>
        new Comparison("less-or-equal", field, value);

    /// <summary><c>has(field)</c>: the resource has the field or relationship (e.g. <c>has(profile)</c> on events).</summary>
    /// <param name="field">The field.</param>
    public static Filter Has(string field) => new Presence(field);

    /// <summary><c>and(f1,f2,…)</c>: every filter holds.</summary>
    /// <param name="filters">The filters (at least one).</param>
    public static Filter And(params Filter[] filters) => new AllOf(filters.ToSeq().Strict());

    /// <summary><c>or(f1,f2,…)</c>: at least one filter holds (not every endpoint accepts <c>or</c>).</summary>
    /// <param name="filters">The filters (at least one).</param>
    public static Filter Or(params Filter[] filters) => new AnyOf(filters.ToSeq().Strict());

    /// <summary><c>not(f)</c>: the filter does not hold (not every endpoint accepts <c>not</c>).</summary>
    /// <param name="filter">The filter.</param>
    public static Filter Not(Filter filter) => new Negation(filter);

    /// <summary><c>and(a,b)</c>, flattening nested <c>and</c>s: <c>a &amp; b &amp; c</c> is <c>and(a,b,c)</c>.</summary>
    /// <param name="left">The left filter.</param>
    /// <param name="right">The right filter.</param>
    public static Filter operator &(Filter left, Filter right) =>
        new AllOf(Operands<AllOf>(left, l => l.Filters) + Operands<AllOf>(right, r => r.Filters));

    /// <summary><c>or(a,b)</c>, flattening nested <c>or</c>s.</summary>
    /// <param name="left">The left filter.</param>
    /// <param name="right">The right filter.</param>
    public static Filter operator |(Filter left, Filter right) =>
        new AnyOf(Operands<AnyOf>(left, l => l.Filters) + Operands<AnyOf>(right, r => r.Filters));

    /// <summary><c>not(f)</c>.</summary>
    /// <param name="filter">The filter.</param>
    public static Filter operator !(Filter filter) => new Negation(filter);

    /// <summary>The filter expression, as sent in the <c>filter</c> query parameter (before URL encoding).</summary>
    /// <param name="filter">The filter; <c>null</c> gives <c>null</c>.</param>
    [return: NotNullIfNotNull(nameof(filter))]
    public static implicit operator string?(Filter? filter) => filter?.ToString();

    /// <summary>
    /// Parses a filter expression (Klaviyo's syntax, as documented) into a tree. Never throws: a malformed
    /// expression gives <c>Left</c> with what is wrong and where. Top-level comma-separated filters
    /// (<c>equals(a,1),equals(b,2)</c>) are read as <c>and</c>.
    /// </summary>
    /// <param name="text">The expression.</param>
    public static Either<string, Filter> Parse(string? text) => FilterParser.Parse(text);

    /// <summary>Parses a filter expression; <c>false</c> when it is malformed (see <see cref="Parse"/> for why).</summary>
    /// <param name="text">The expression.</param>
    /// <param name="filter">The tree, when it parsed.</param>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Filter? filter)
    {
        filter = Parse(text).MatchUnsafe(f => f, _ => (Filter?)null);
        return filter is not null;
    }

    /// <summary>
    /// The filter expression, e.g. <c>and(equals(email,"a@b.c"),has(profile))</c>. Any depth prints: the walk does
    /// not recurse (neither do equality and hashing), so a filter built a million levels deep is just a long string;
    /// sending it is a validation error, since Klaviyo's syntax (and <see cref="Parse"/>) stops at 100 levels.
    /// </summary>
    public sealed override string ToString()
    {
        var sb = new StringBuilder();
        FilterWalk.Render(this, sb);
        return sb.ToString();
    }

    private static Seq<Filter> Operands<T>(Filter f, Func<T, Seq<Filter>> operands)
        where T : Filter => f is T t ? operands(t) : Prelude.Seq1(f);

    /// <summary><c>operator(field,value)</c>, e.g. <c>equals(email,"a@b.c")</c>.</summary>
    /// <param name="Operator">The operator's wire name (one of <see cref="ComparisonOperators"/>).</param>
    /// <param name="Field">The field, e.g. <c>email</c> or <c>messages.channel</c>.</param>
    /// <param name="Value">The value; a list for <see cref="ListOnlyOperators"/>.</param>
    public sealed record Comparison(string Operator, string Field, FilterValue Value) : Filter;

    /// <summary><c>has(field)</c>.</summary>
    /// <param name="Field">The field.</param>
    public sealed record Presence(string Field) : Filter;

    /// <summary><c>and(…)</c>: every filter holds.</summary>
    /// <param name="Filters">The filters.</param>
    public sealed record AllOf(Seq<Filter> Filters) : Filter
    {
        /// <summary>Structural equality, at any depth.</summary>
        /// <param name="other">The other filter.</param>
        public bool Equals(AllOf? other) => other is not null && FilterWalk.Equal(this, other);

        /// <summary>A structural hash, at any depth.</summary>
        public override int GetHashCode() => FilterWalk.Hash(this);
    }

    /// <summary><c>or(…)</c>: at least one filter holds.</summary>
    /// <param name="Filters">The filters.</param>
    public sealed record AnyOf(Seq<Filter> Filters) : Filter
    {
        /// <summary>Structural equality, at any depth.</summary>
        /// <param name="other">The other filter.</param>
        public bool Equals(AnyOf? other) => other is not null && FilterWalk.Equal(this, other);

        /// <summary>A structural hash, at any depth.</summary>
        public override int GetHashCode() => FilterWalk.Hash(this);
    }

    /// <summary><c>not(…)</c>: the filter does not hold.</summary>
    /// <param name="Operand">The negated filter.</param>
    public sealed record Negation(Filter Operand) : Filter
    {
        /// <summary>Structural equality, at any depth.</summary>
        /// <param name="other">The other filter.</param>
        public bool Equals(Negation? other) => other is not null && FilterWalk.Equal(this, other);

        /// <summary>A structural hash, at any depth.</summary>
        public override int GetHashCode() => FilterWalk.Hash(this);
    }
}
