using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Klaviyo.Models;

namespace Klaviyo;

/// <summary>
/// A string from a string, a number (its text) or a boolean; an object or array is a mismatch. Klaviyo sends some
/// fields (e.g. <c>location.latitude</c>) as either strings or numbers.
/// </summary>
internal sealed class LenientString : JsonConverter<string>
{
    public override bool HandleNull => true;

    public override string? Read(
        ref Utf8JsonReader reader,
        Type typeToConvert,
        JsonSerializerOptions options
    ) => Lenient.String(ref reader);

    public override void Write(
        Utf8JsonWriter writer,
        string value,
        JsonSerializerOptions options
    ) => writer.WriteStringValue(value);
}

/// <summary>
/// Lenient numbers, booleans, dates and enums, and their nullable forms (the token-level rules are
/// <see cref="Lenient"/>'s, shared with the generated models). A <c>null</c> or blank string gives the
/// default (or <c>null</c> for a nullable member) instead of an error.
/// </summary>
internal sealed class LenientValues : JsonConverterFactory
{
    private static readonly System.Collections.Generic.HashSet<Type> Numbers =
    [
        typeof(byte),
        typeof(sbyte),
        typeof(short),
        typeof(ushort),
        typeof(int),
        typeof(uint),
        typeof(long),
        typeof(ulong),
        typeof(Int128),
        typeof(UInt128),
        typeof(Half),
        typeof(float),
        typeof(double),
        typeof(decimal),
    ];

    public override bool CanConvert(Type typeToConvert) =>
        Supported(Nullable.GetUnderlyingType(typeToConvert) ?? typeToConvert);

    private static bool Supported(Type t) =>
        Numbers.Contains(t)
        || t == typeof(bool)
        || t == typeof(DateTimeOffset)
        || t == typeof(DateTime)
        || t.IsEnum;

    [UnconditionalSuppressMessage(
        "Trimming",
        "IL2071",
        Justification = TrimMessages.OnlyReflectionOptions
    )]
    [UnconditionalSuppressMessage(
        "AOT",
        "IL3050",
        Justification = TrimMessages.OnlyReflectionOptions
    )]
    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        var underlying = Nullable.GetUnderlyingType(typeToConvert);
        var value = Value(underlying ?? typeToConvert);
        return underlying is null
            ? value
            : (JsonConverter)
                Activator.CreateInstance(
                    typeof(LenientNullable<>).MakeGenericType(underlying),
                    value
                )!;
    }

    [UnconditionalSuppressMessage(
        "Trimming",
        "IL2071",
        Justification = TrimMessages.OnlyReflectionOptions
    )]
    [UnconditionalSuppressMessage(
        "AOT",
        "IL3050",
        Justification = TrimMessages.OnlyReflectionOptions
    )]
    private static JsonConverter Value(Type t)
    {
        if (t == typeof(bool))
            return new LenientBoolean();
        if (t == typeof(DateTimeOffset))
            return new LenientDateTimeOffset();
        if (t == typeof(DateTime))
            return new LenientDateTime();
        var generic = t.IsEnum ? typeof(LenientEnum<>) : typeof(LenientNumber<>);
        return (JsonConverter)Activator.CreateInstance(generic.MakeGenericType(t))!;
    }
}

/// <summary>A value read leniently: <c>null</c> or a blank string is the default; anything else goes to <see cref="ReadValue"/>.</summary>
internal abstract class LenientValue<T> : JsonConverter<T>
    where T : struct
{
    /// <summary>Plain options for writing: these converters exist for reading; writing stays standard.</summary>
    private static readonly JsonSerializerOptions Plain = new();

    public override bool HandleNull => true;

    public override T Read(
        ref Utf8JsonReader reader,
        Type typeToConvert,
        JsonSerializerOptions options
    ) => IsBlank(ref reader) ? default : ReadValue(ref reader);

    /// <summary>Reads a non-null, non-blank value; throws <see cref="JsonException"/> on a mismatch.</summary>
    public abstract T ReadValue(ref Utf8JsonReader reader);

    [UnconditionalSuppressMessage(
        "Trimming",
        "IL2026",
        Justification = TrimMessages.OnlyReflectionOptions
    )]
    [UnconditionalSuppressMessage(
        "AOT",
        "IL3050",
        Justification = TrimMessages.OnlyReflectionOptions
    )]
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, Plain);

    public static bool IsBlank(ref Utf8JsonReader reader) => Lenient.IsBlank(ref reader);
}

/// <summary>The nullable form: <c>null</c> or a blank string is <c>null</c>.</summary>
internal sealed class LenientNullable<T>(LenientValue<T> value) : JsonConverter<T?>
    where T : struct
{
    public override bool HandleNull => true;

    public override T? Read(
        ref Utf8JsonReader reader,
        Type typeToConvert,
        JsonSerializerOptions options
    ) => LenientValue<T>.IsBlank(ref reader) ? null : value.ReadValue(ref reader);

    public override void Write(Utf8JsonWriter writer, T? v, JsonSerializerOptions options)
    {
        if (v is { } some)
            value.Write(writer, some, options);
        else
            writer.WriteNullValue();
    }
}

/// <summary>A number from a JSON number or a string holding one (<c>"42"</c>, <c>"1.5"</c>, <c>"1e3"</c>).</summary>
internal sealed class LenientNumber<T> : LenientValue<T>
    where T : struct, INumber<T>
{
    public override T ReadValue(ref Utf8JsonReader reader) => Lenient.Number<T>(ref reader);
}

/// <summary>A boolean from <c>true</c>/<c>false</c>, the strings <c>"true"</c>/<c>"false"</c> (any case), or 0/1.</summary>
internal sealed class LenientBoolean : LenientValue<bool>
{
    public override bool ReadValue(ref Utf8JsonReader reader) => Lenient.Boolean(ref reader);
}

/// <summary>A date-time from ISO 8601 (<c>2024-01-02T03:04:05+00:00</c>), or any invariant date text; no offset means UTC.</summary>
internal sealed class LenientDateTimeOffset : LenientValue<DateTimeOffset>
{
    public override DateTimeOffset ReadValue(ref Utf8JsonReader reader) =>
        Lenient.DateTimeOffset(ref reader);
}

/// <summary>A <see cref="DateTime"/> from ISO 8601 or invariant date text; no offset means UTC.</summary>
internal sealed class LenientDateTime : LenientValue<DateTime>
{
    public override DateTime ReadValue(ref Utf8JsonReader reader) => Lenient.DateTime(ref reader);
}

/// <summary>
/// An enum from its name in any case and spelling: <c>double_opt_in</c>, <c>DOUBLE_OPT_IN</c>, <c>double-opt-in</c>
/// and <c>DoubleOptIn</c> all match <c>DoubleOptIn</c>; <c>[JsonStringEnumMemberName]</c> is honoured; an integer
/// gives that value. An unknown name maps to a member called <c>Unknown</c> when the enum has one, else it is a
/// mismatch.
/// </summary>
internal sealed class LenientEnum<T> : LenientValue<T>
    where T : struct, Enum
{
    private static readonly Dictionary<string, T> ByName = BuildNames();
    private static readonly T? Unknown = ByName.TryGetValue("unknown", out var u) ? u : null;

    public override T ReadValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetInt64(out var n))
                return (T)Enum.ToObject(typeof(T), n);
            throw new JsonException(
                $"'{Encoding.UTF8.GetString(reader.ValueSpan)}' is not a value of {typeof(T).Name}"
            );
        }
        if (reader.TokenType != JsonTokenType.String)
            throw Mismatch.Expected($"a {typeof(T).Name} name", reader.TokenType);
        var text = reader.GetString()!;
        if (
            ByName.TryGetValue(text.Trim(), out var exact)
            || ByName.TryGetValue(Normalise(text), out exact)
        )
            return exact;
        return Unknown
            ?? throw new JsonException(
                $"'{Mismatch.Clip(text)}' is not a value of {typeof(T).Name}"
            );
    }

    private static Dictionary<string, T> BuildNames()
    {
        var names = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var value = (T)field.GetValue(null)!;
            var given = field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name;
            if (given is not null)
                names.TryAdd(given, value);
            names.TryAdd(Normalise(field.Name), value);
        }
        return names;
    }

    /// <summary>Letters and digits only, lowercased: <c>Cancelled: Billing Limit</c> → <c>cancelledbillinglimit</c>.</summary>
    private static string Normalise(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
            if (char.IsLetterOrDigit(c))
                sb.Append(char.ToLowerInvariant(c));
        return sb.ToString();
    }
}

/// <summary>Messages for a value of the wrong kind.</summary>
internal static class Mismatch
{
    public static JsonException Expected(string what, JsonTokenType found) =>
        ModelJsonException.Mismatch(what, found);

    /// <summary>Keeps an enum name short in messages. Other values are left out of messages: they may be personal data.</summary>
    public static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";

    /// <summary>What kind of JSON token this is, e.g. "an object".</summary>
    public static string Kind(JsonTokenType t) => Lenient.Kind(t);
}
