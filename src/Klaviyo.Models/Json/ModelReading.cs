using System.Text.Json;
using System.Text.Json.Nodes;

namespace Klaviyo.Models;

/// <summary>Reads one value; the reader is on its first token.</summary>
internal delegate T ValueReader<T>(ref Utf8JsonReader reader, JsonSerializerOptions options);

/// <summary>
/// The steps generated <c>Read</c> methods are written in. Lenient by design: unknown members are skipped,
/// <c>null</c> gives null (or the default for a required number, boolean or date), numbers and booleans are read
/// from strings and strings from numbers, and any string is a valid enum value. Only a value of the wrong shape (an
/// array where an object belongs, say) fails, naming its path.
/// </summary>
internal static class ModelReading
{
    /// <summary>Checks the reader is on an object's start.</summary>
    public static void StartObject(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw ModelJsonException.Mismatch("an object", reader.TokenType);
    }

    /// <summary>
    /// Moves to the next member's name; false at the object's end. A member whose name is not well-formed Unicode
    /// (a lone surrogate escaped in it) cannot be one the models know, and comparing it would throw: it is skipped.
    /// </summary>
    public static bool NextMember(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!JsonText.IsBroken(ref reader))
                return true;
            Skip(ref reader);
        }
        return false;
    }

    /// <summary>Skips an unknown member's value.</summary>
    public static void Skip(ref Utf8JsonReader reader)
    {
        // The whole value is buffered before a converter runs, so TrySkip always can.
        if (!reader.Read() || !reader.TrySkip())
            throw ModelJsonException.Invalid("the JSON ends inside a value");
    }

    // Members: the reader is on the member's name; a failure is reported under the member.

    public static string? String(ref Utf8JsonReader reader, string name)
    {
        reader.Read();
        try
        {
            return Lenient.String(ref reader);
        }
        catch (JsonException e)
        {
            throw ModelJsonException.From(e).Under(name);
        }
    }

    public static long Long(ref Utf8JsonReader reader, string name) =>
        LongOrNull(ref reader, name) ?? 0;

    public static long? LongOrNull(ref Utf8JsonReader reader, string name)
    {
        reader.Read();
        try
        {
            return Lenient.IsBlank(ref reader) ? null : Lenient.Number<long>(ref reader);
        }
        catch (JsonException e)
        {
            throw ModelJsonException.From(e).Under(name);
        }
    }

    public static double Double(ref Utf8JsonReader reader, string name) =>
        DoubleOrNull(ref reader, name) ?? 0;

    public static double? DoubleOrNull(ref Utf8JsonReader reader, string name)
    {
        reader.Read();
        try
        {
            return Lenient.IsBlank(ref reader) ? null : Lenient.Number<double>(ref reader);
        }
        catch (JsonException e)
        {
            throw ModelJsonException.From(e).Under(name);
        }
    }

    public static bool Bool(ref Utf8JsonReader reader, string name) =>
        BoolOrNull(ref reader, name) ?? false;

    public static bool? BoolOrNull(ref Utf8JsonReader reader, string name)
    {
        reader.Read();
        try
        {
            return Lenient.IsBlank(ref reader) ? null : Lenient.Boolean(ref reader);
        }
        catch (JsonException e)
        {
            throw ModelJsonException.From(e).Under(name);
        }
    }

    public static DateTimeOffset DateTime(ref Utf8JsonReader reader, string name) =>
        DateTimeOrNull(ref reader, name) ?? default;

    public static DateTimeOffset? DateTimeOrNull(ref Utf8JsonReader reader, string name)
    {
        reader.Read();
        try
        {
            return Lenient.IsBlank(ref reader) ? null : Lenient.DateTimeOffset(ref reader);
        }
        catch (JsonException e)
        {
            throw ModelJsonException.From(e).Under(name);
        }
    }

    public static T Enum<T>(ref Utf8JsonReader reader, string name)
        where T : struct, IStringValue<T> => EnumOrNull<T>(ref reader, name) ?? default;

    public static T? EnumOrNull<T>(ref Utf8JsonReader reader, string name)
        where T : struct, IStringValue<T>
    {
        reader.Read();
        try
        {
            return reader.TokenType == JsonTokenType.Null
                ? null
                : T.From(Lenient.String(ref reader)!);
        }
        catch (JsonException e)
        {
            throw ModelJsonException.From(e).Under(name);
        }
    }

    public static JsonObject? Object(
        ref Utf8JsonReader reader,
        JsonSerializerOptions options,
        string name
    ) => Member(ref reader, options, name, ObjectValue);

    public static JsonNode? Node(
        ref Utf8JsonReader reader,
        JsonSerializerOptions options,
        string name
    ) => Member(ref reader, options, name, NodeValue);

    public static T? Model<T>(ref Utf8JsonReader reader, JsonSerializerOptions options, string name)
        where T : class, IJsonModel<T> => Member(ref reader, options, name, ModelValue<T>);

    /// <summary>Reads member <paramref name="name"/>'s value as a list (the reader is on its name).</summary>
    public static IReadOnlyList<T>? List<T>(
        ref Utf8JsonReader reader,
        JsonSerializerOptions options,
        string name,
        ValueReader<T> item
    )
    {
        reader.Read();
        try
        {
            return ListValue(ref reader, options, item);
        }
        catch (JsonException e)
        {
            throw ModelJsonException.From(e).Under(name);
        }
    }

    private static T Member<T>(
        ref Utf8JsonReader reader,
        JsonSerializerOptions options,
        string name,
        ValueReader<T> read
    )
    {
        reader.Read();
        try
        {
            return read(ref reader, options);
        }
        catch (JsonException e)
        {
            throw ModelJsonException.From(e).Under(name);
        }
    }

    // Values: the reader is on the value's first token (list items and union cases).

    /// <summary>A list; <c>null</c> gives null.</summary>
    public static IReadOnlyList<T> ListValue<T>(
        ref Utf8JsonReader reader,
        JsonSerializerOptions options,
        ValueReader<T> item
    )
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null!;
        if (reader.TokenType != JsonTokenType.StartArray)
            throw ModelJsonException.Mismatch("an array", reader.TokenType);
        var list = new List<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            try
            {
                list.Add(item(ref reader, options));
            }
            catch (JsonException e)
            {
                throw ModelJsonException.From(e).At(list.Count);
            }
        }
        return list;
    }

    /// <summary>A model (record or union); <c>null</c> gives null.</summary>
    public static T ModelValue<T>(ref Utf8JsonReader reader, JsonSerializerOptions options)
        where T : class, IJsonModel<T> =>
        reader.TokenType == JsonTokenType.Null ? null! : T.Read(ref reader, options);

    /// <summary>A string (numbers and booleans as their text); <c>null</c> gives null.</summary>
    public static string StringValue(ref Utf8JsonReader reader, JsonSerializerOptions options) =>
        Lenient.String(ref reader)!;

    /// <summary>An integer; <c>null</c> or a blank string gives 0.</summary>
    public static long LongValue(ref Utf8JsonReader reader, JsonSerializerOptions options) =>
        Lenient.IsBlank(ref reader) ? 0 : Lenient.Number<long>(ref reader);

    /// <summary>A number; <c>null</c> or a blank string gives 0.</summary>
    public static double DoubleValue(ref Utf8JsonReader reader, JsonSerializerOptions options) =>
        Lenient.IsBlank(ref reader) ? 0 : Lenient.Number<double>(ref reader);

    /// <summary>A boolean; <c>null</c> or a blank string gives false.</summary>
    public static bool BoolValue(ref Utf8JsonReader reader, JsonSerializerOptions options) =>
        !Lenient.IsBlank(ref reader) && Lenient.Boolean(ref reader);

    /// <summary>A date-time; <c>null</c> or a blank string gives the default.</summary>
    public static DateTimeOffset DateTimeValue(
        ref Utf8JsonReader reader,
        JsonSerializerOptions options
    ) => Lenient.IsBlank(ref reader) ? default : Lenient.DateTimeOffset(ref reader);

    /// <summary>A string enum: any string is kept; a number or boolean is kept as its text; <c>null</c> gives the default.</summary>
    public static T EnumValue<T>(ref Utf8JsonReader reader, JsonSerializerOptions options)
        where T : struct, IStringValue<T> =>
        reader.TokenType == JsonTokenType.Null ? default : T.From(Lenient.String(ref reader)!);

    /// <summary>A free-form object; <c>null</c> gives null.</summary>
    public static JsonObject ObjectValue(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null!;
        if (reader.TokenType != JsonTokenType.StartObject)
            throw ModelJsonException.Mismatch("an object", reader.TokenType);
        return (JsonObject)JsonNode.Parse(ref reader)!;
    }

    /// <summary>Any JSON value, kept as it is; <c>null</c> gives null.</summary>
    public static JsonNode NodeValue(ref Utf8JsonReader reader, JsonSerializerOptions options) =>
        JsonNode.Parse(ref reader)!;
}
