using System.Globalization;
using System.Text;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// A value in a <see cref="Filter"/>: text, a number, a boolean, <c>null</c>, a date-time or a list of values.
/// Converts implicitly from <see cref="string"/>, <see cref="int"/>, <see cref="long"/>, <see cref="decimal"/>,
/// <see cref="bool"/> and <see cref="DateTimeOffset"/>, so builders read naturally:
/// <c>Filter.Equals("email", "sarah@example.com")</c>, <c>Filter.GreaterThan("datetime", DateTimeOffset.UtcNow)</c>.
/// </summary>
/// <remarks>
/// How each value is written (Klaviyo's comparison literals): text in double quotes with <c>\</c> and <c>"</c>
/// escaped by a backslash; numbers in the invariant culture (<c>-74.006</c>); <c>true</c>/<c>false</c>; <c>null</c>;
/// date-times unquoted as ISO 8601 in UTC (<c>2024-08-01T07:00:00Z</c>; Klaviyo rejects quoted date-times);
/// lists as <c>[v1,v2]</c>. There is no <see cref="double"/> conversion on purpose: write <c>3.5m</c>, so that what
/// is sent is exactly the decimal you wrote.
/// </remarks>
public abstract record FilterValue
{
    private FilterValue() { }

    /// <summary>The <c>null</c> literal.</summary>
    public static readonly FilterValue Null = new NullValue();

    /// <summary>A text value.</summary>
    /// <param name="value">The text; <c>null</c> gives <see cref="Null"/>.</param>
    public static FilterValue Of(string? value) => value is null ? Null : new Text(value);

    /// <summary>A number.</summary>
    /// <param name="value">The number.</param>
    public static FilterValue Of(decimal value) => new Number(value);

    /// <summary>A boolean.</summary>
    /// <param name="value">The boolean.</param>
    public static FilterValue Of(bool value) => new Boolean(value);

    /// <summary>A date-time, written in UTC.</summary>
    /// <param name="value">The instant.</param>
    public static FilterValue Of(DateTimeOffset value) => new DateTime(value);

    /// <summary>A list of values, e.g. for <c>any</c>.</summary>
    /// <param name="values">The items.</param>
    public static FilterValue ListOf(IEnumerable<FilterValue> values) =>
        new List(values.ToSeq().Strict());

    /// <summary>A list of text values, e.g. for <c>any(id,["a","b"])</c>.</summary>
    /// <param name="values">The items.</param>
    public static FilterValue ListOf(IEnumerable<string> values) =>
        new List(values.Select(Of).ToSeq().Strict());

    /// <summary>Text.</summary>
    /// <param name="value">The text.</param>
    public static implicit operator FilterValue(string? value) => Of(value);

    /// <summary>A number.</summary>
    /// <param name="value">The number.</param>
    public static implicit operator FilterValue(int value) => new Number(value);

    /// <summary>A number.</summary>
    /// <param name="value">The number.</param>
    public static implicit operator FilterValue(long value) => new Number(value);

    /// <summary>A number.</summary>
    /// <param name="value">The number.</param>
    public static implicit operator FilterValue(decimal value) => new Number(value);

    /// <summary>A boolean.</summary>
    /// <param name="value">The boolean.</param>
    public static implicit operator FilterValue(bool value) => new Boolean(value);

    /// <summary>A date-time.</summary>
    /// <param name="value">The instant.</param>
    public static implicit operator FilterValue(DateTimeOffset value) => new DateTime(value);

    /// <summary>The value as it is written in a filter expression; lists nested to any depth print.</summary>
    public sealed override string ToString()
    {
        var sb = new StringBuilder();
        FilterWalk.Render(this, sb);
        return sb.ToString();
    }

    /// <summary>Writes a value that holds no other values; lists are written by <see cref="FilterWalk"/>.</summary>
    internal abstract void Render(StringBuilder sb);

    /// <summary>Text, written in double quotes with <c>\</c> and <c>"</c> escaped.</summary>
    /// <param name="Value">The text.</param>
    public sealed record Text(string Value) : FilterValue
    {
        internal override void Render(StringBuilder sb)
        {
            sb.Append('"');
            foreach (var c in Value)
            {
                if (c is '"' or '\\')
                    sb.Append('\\');
                sb.Append(c);
            }
            sb.Append('"');
        }
    }

    /// <summary>A number, written in the invariant culture.</summary>
    /// <param name="Value">The number.</param>
    public sealed record Number(decimal Value) : FilterValue
    {
        internal override void Render(StringBuilder sb) =>
            sb.Append(Value.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary><c>true</c> or <c>false</c>.</summary>
    /// <param name="Value">The boolean.</param>
    public sealed record Boolean(bool Value) : FilterValue
    {
        internal override void Render(StringBuilder sb) => sb.Append(Value ? "true" : "false");
    }

    /// <summary>The <c>null</c> literal.</summary>
    public sealed record NullValue : FilterValue
    {
        internal override void Render(StringBuilder sb) => sb.Append("null");
    }

    /// <summary>A date-time, written unquoted as ISO 8601 in UTC; equal when the instants are equal.</summary>
    /// <param name="Value">The instant.</param>
    public sealed record DateTime(DateTimeOffset Value) : FilterValue
    {
        internal override void Render(StringBuilder sb) =>
            sb.Append(
                Value.UtcDateTime.ToString(
                    "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
                    CultureInfo.InvariantCulture
                )
            );
    }

    /// <summary>A list, written <c>[v1,v2,…]</c>.</summary>
    /// <param name="Items">The items.</param>
    public sealed record List(Seq<FilterValue> Items) : FilterValue
    {
        internal override void Render(StringBuilder sb) => FilterWalk.Render(this, sb);

        /// <summary>Structural equality, at any depth.</summary>
        /// <param name="other">The other value.</param>
        public bool Equals(List? other) => other is not null && FilterWalk.Equal(this, other);

        /// <summary>A structural hash, at any depth.</summary>
        public override int GetHashCode() => FilterWalk.Hash(this);
    }
}
