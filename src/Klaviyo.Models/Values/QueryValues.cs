using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Klaviyo;

/// <summary>
/// The values of a list-valued query parameter (<c>fields[…]</c>, <c>include</c>, <c>additional-fields[…]</c>), sent
/// comma-separated. Write it as a collection expression of named members or raw strings
/// (<c>[ProfileField.Email, "first_name"]</c>), or pass a <c>string[]</c> or a <c>List&lt;string&gt;</c>.
/// </summary>
/// <typeparam name="T">The parameter's value type, e.g. <c>ProfileField</c>.</typeparam>
[CollectionBuilder(typeof(QueryValues), nameof(QueryValues.Create))]
public sealed class QueryValues<T> : IReadOnlyList<T>
    where T : struct, IStringValue<T>
{
    private readonly T[] _items;

    internal QueryValues(T[] items) => _items = items;

    /// <inheritdoc />
    public int Count => _items.Length;

    /// <inheritdoc />
    public T this[int index] => _items[index];

    /// <summary>The values as sent, joined with commas.</summary>
    public override string ToString() => string.Join(",", _items.Select(v => v.Value));

    /// <inheritdoc />
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The given values; null stays null.</summary>
    /// <param name="values">The values.</param>
    [return: NotNullIfNotNull(nameof(values))]
    public static implicit operator QueryValues<T>?(T[]? values) =>
        values is null ? null : new([.. values]);

    /// <summary>The given raw values, known to the spec or not; null stays null.</summary>
    /// <param name="values">The values as sent on the wire.</param>
    [return: NotNullIfNotNull(nameof(values))]
    public static implicit operator QueryValues<T>?(string[]? values) =>
        values is null ? null : QueryValues.From<T>(values);

    /// <summary>The given values; null stays null.</summary>
    /// <param name="values">The values.</param>
    [return: NotNullIfNotNull(nameof(values))]
    public static implicit operator QueryValues<T>?(List<T>? values) =>
        values is null ? null : new([.. values]);

    /// <summary>The given raw values, known to the spec or not; null stays null.</summary>
    /// <param name="values">The values as sent on the wire.</param>
    [return: NotNullIfNotNull(nameof(values))]
    public static implicit operator QueryValues<T>?(List<string>? values) =>
        values is null ? null : QueryValues.From<T>(values);

    /// <summary>One value.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator QueryValues<T>(T value) => new([value]);

    /// <summary>One raw value, known to the spec or not; null stays null.</summary>
    /// <param name="value">The value as sent on the wire.</param>
    [return: NotNullIfNotNull(nameof(value))]
    public static implicit operator QueryValues<T>?(string? value) =>
        value is null ? null : new([T.From(value)]);
}

/// <summary>Builds <see cref="QueryValues{T}"/>, from collection expressions or any sequence of strings.</summary>
public static class QueryValues
{
    /// <summary>The values of a collection expression (<c>[ProfileField.Email, "first_name"]</c>).</summary>
    /// <param name="values">The values.</param>
    /// <typeparam name="T">The value type.</typeparam>
    public static QueryValues<T> Create<T>(ReadOnlySpan<T> values)
        where T : struct, IStringValue<T> => new(values.ToArray());

    /// <summary>Raw values from any sequence, known to the spec or not.</summary>
    /// <param name="values">The values as sent on the wire.</param>
    /// <typeparam name="T">The value type.</typeparam>
    public static QueryValues<T> From<T>(IEnumerable<string> values)
        where T : struct, IStringValue<T> => new([.. values.Select(v => T.From(v))]);
}
