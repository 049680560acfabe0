using System.Text.Json;
using System.Text.Json.Nodes;

namespace Klaviyo.Models;

/// <summary>Writes one value.</summary>
internal delegate void ValueWriter<T>(
    Utf8JsonWriter writer,
    T value,
    JsonSerializerOptions options
);

/// <summary>
/// The steps generated <c>Write</c> methods are written in. A member whose value is null is left out, so an optional
/// member the caller did not set is never sent.
/// </summary>
internal static class ModelWriting
{
    public static void String(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
            writer.WriteString(name, value);
    }

    public static void Long(Utf8JsonWriter writer, ReadOnlySpan<byte> name, long? value)
    {
        if (value is { } v)
            writer.WriteNumber(name, v);
    }

    public static void Double(Utf8JsonWriter writer, ReadOnlySpan<byte> name, double? value)
    {
        if (value is { } v)
        {
            writer.WritePropertyName(name);
            DoubleValue(writer, v, null!);
        }
    }

    public static void Bool(Utf8JsonWriter writer, ReadOnlySpan<byte> name, bool? value)
    {
        if (value is { } v)
            writer.WriteBoolean(name, v);
    }

    public static void DateTime(
        Utf8JsonWriter writer,
        ReadOnlySpan<byte> name,
        DateTimeOffset? value
    )
    {
        if (value is { } v)
            writer.WriteString(name, v);
    }

    public static void Enum<T>(Utf8JsonWriter writer, ReadOnlySpan<byte> name, T? value)
        where T : struct, IStringValue<T>
    {
        if (value is { Value: { } v })
            writer.WriteString(name, v);
    }

    public static void Json(
        Utf8JsonWriter writer,
        ReadOnlySpan<byte> name,
        JsonNode? value,
        JsonSerializerOptions options
    )
    {
        if (value is null)
            return;
        writer.WritePropertyName(name);
        value.WriteTo(writer, options);
    }

    public static void Model<T>(
        Utf8JsonWriter writer,
        ReadOnlySpan<byte> name,
        T? value,
        JsonSerializerOptions options
    )
        where T : class, IJsonModel<T>
    {
        if (value is null)
            return;
        writer.WritePropertyName(name);
        T.Write(writer, value, options);
    }

    public static void List<T>(
        Utf8JsonWriter writer,
        ReadOnlySpan<byte> name,
        IReadOnlyList<T>? value,
        JsonSerializerOptions options,
        ValueWriter<T> item
    )
    {
        if (value is null)
            return;
        writer.WritePropertyName(name);
        ListValue(writer, value, options, item);
    }

    // Values without a name: list items and union cases.

    public static void ListValue<T>(
        Utf8JsonWriter writer,
        IReadOnlyList<T> value,
        JsonSerializerOptions options,
        ValueWriter<T> item
    )
    {
        writer.WriteStartArray();
        foreach (var v in value)
            item(writer, v, options);
        writer.WriteEndArray();
    }

    public static void StringValue(
        Utf8JsonWriter writer,
        string value,
        JsonSerializerOptions options
    )
    {
        if (value is null)
            writer.WriteNullValue();
        else
            writer.WriteStringValue(value);
    }

    public static void LongValue(
        Utf8JsonWriter writer,
        long value,
        JsonSerializerOptions options
    ) => writer.WriteNumberValue(value);

    public static void DoubleValue(
        Utf8JsonWriter writer,
        double value,
        JsonSerializerOptions options
    )
    {
        // JSON has no NaN or infinity; send them as strings rather than fail the whole body.
        if (double.IsFinite(value))
            writer.WriteNumberValue(value);
        else
            writer.WriteStringValue(
                value.ToString(System.Globalization.CultureInfo.InvariantCulture)
            );
    }

    public static void BoolValue(
        Utf8JsonWriter writer,
        bool value,
        JsonSerializerOptions options
    ) => writer.WriteBooleanValue(value);

    public static void DateTimeValue(
        Utf8JsonWriter writer,
        DateTimeOffset value,
        JsonSerializerOptions options
    ) => writer.WriteStringValue(value);

    public static void EnumValue<T>(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        where T : struct, IStringValue<T>
    {
        if (value.Value is null)
            writer.WriteNullValue();
        else
            writer.WriteStringValue(value.Value);
    }

    public static void JsonValue(
        Utf8JsonWriter writer,
        JsonNode value,
        JsonSerializerOptions options
    )
    {
        if (value is null)
            writer.WriteNullValue();
        else
            value.WriteTo(writer, options);
    }

    public static void ModelValue<T>(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        where T : class, IJsonModel<T>
    {
        if (value is null)
            writer.WriteNullValue();
        else
            T.Write(writer, value, options);
    }
}
