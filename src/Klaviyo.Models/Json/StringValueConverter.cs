using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Klaviyo.Models;

/// <summary>
/// Reads and writes an <see cref="IStringValue{TSelf}"/> as its string. Lenient: any string is kept (known to the
/// spec or not), a number or boolean is kept as its text, and <c>null</c> gives <c>default</c>; only an object or an
/// array is a mismatch.
/// </summary>
internal sealed class StringValueConverter<T> : JsonConverter<T>
    where T : struct, IStringValue<T>
{
    public override bool HandleNull => true;

    public override T Read(
        ref Utf8JsonReader reader,
        Type typeToConvert,
        JsonSerializerOptions options
    ) =>
        reader.TokenType switch
        {
            JsonTokenType.String => T.From(JsonText.String(ref reader)!),
            JsonTokenType.Number => T.From(Encoding.UTF8.GetString(reader.ValueSpan)),
            JsonTokenType.True => T.From("true"),
            JsonTokenType.False => T.From("false"),
            JsonTokenType.Null => default,
            _ => throw ModelJsonException.Mismatch("a string", reader.TokenType),
        };

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        if (value.Value is null)
            writer.WriteNullValue();
        else
            writer.WriteStringValue(value.Value);
    }
}
