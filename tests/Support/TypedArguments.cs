using System.Reflection;

namespace Klaviyo.Tests;

/// <summary>
/// Turns raw query values into the typed parameters of the generated operations, for tests that call them through
/// reflection (which applies no implicit conversions): a <c>string[]</c> into <see cref="QueryValues{T}"/>, a
/// <c>string</c> into an <see cref="IStringValue{TSelf}"/> type. Anything else is passed through.
/// </summary>
public static class TypedArguments
{
    /// <summary>The argument for a parameter of type <paramref name="target"/>.</summary>
    public static object? Convert(object? raw, Type target)
    {
        if (raw is null)
            return null;
        var type = Nullable.GetUnderlyingType(target) ?? target;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(QueryValues<>))
        {
            var strings = raw as IEnumerable<string> ?? throw new ArgumentException($"{raw}");
            return typeof(QueryValues)
                .GetMethod(nameof(QueryValues.From))!
                .MakeGenericMethod(type.GetGenericArguments()[0])
                .Invoke(null, [strings.ToArray()]);
        }
        if (IsStringValue(type) && raw is string s)
            return type.GetMethod("op_Implicit", [typeof(string)])!.Invoke(null, [s]);
        return raw;
    }

    /// <summary>Whether <paramref name="type"/> is a typed query value (<c>ProfileSort</c>) or model enum.</summary>
    public static bool IsStringValue(Type type) =>
        type.GetInterfaces()
            .Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IStringValue<>));

    /// <summary>The values a typed query value or model enum type lists (its <c>Known</c> members).</summary>
    public static IReadOnlyList<string> Known(Type type)
    {
        var known = type.GetProperty("Known", BindingFlags.Public | BindingFlags.Static)!;
        return ((System.Collections.IEnumerable)known.GetValue(null)!)
            .Cast<object>()
            .Select(v => (string)v.GetType().GetProperty("Value")!.GetValue(v)!)
            .ToList();
    }
}
