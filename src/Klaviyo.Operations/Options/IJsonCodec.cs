using System.Text.Json;

namespace Klaviyo;

/// <summary>Encodes request bodies to UTF-8 JSON and parses response bodies. Set it in <see cref="KlaviyoOptions.JsonCodec"/>.</summary>
public interface IJsonCodec
{
    /// <summary>Writes <paramref name="value"/> as UTF-8 JSON, property names exactly as the caller wrote them.</summary>
    /// <param name="value">The value.</param>
    byte[] Encode(object? value);

    /// <summary>Parses UTF-8 JSON. Throws <see cref="JsonException"/> when it is malformed.</summary>
    /// <param name="utf8">The bytes; the returned element may keep referring to them.</param>
    JsonElement Parse(ReadOnlyMemory<byte> utf8);
}

/// <summary>The default codec, on System.Text.Json: no naming policy, so names go out as written.</summary>
public sealed class SystemTextJsonCodec : IJsonCodec
{
    /// <summary>The shared instance.</summary>
    public static readonly SystemTextJsonCodec Default = new(new JsonSerializerOptions());

    private readonly JsonSerializerOptions _options;

    /// <summary>Creates a codec with the given serializer options.</summary>
    /// <param name="options">System.Text.Json options used for encoding.</param>
    public SystemTextJsonCodec(JsonSerializerOptions options) => _options = options;

    /// <inheritdoc />
    public byte[] Encode(object? value) =>
        value switch
        {
            null => "null"u8.ToArray(),
            JsonElement e => JsonSerializer.SerializeToUtf8Bytes(e, _options),
            _ => JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), _options),
        };

    /// <inheritdoc />
    public JsonElement Parse(ReadOnlyMemory<byte> utf8)
    {
        // The document keeps pointing at the caller's bytes, so the element stays valid without a copy.
        var doc = JsonDocument.Parse(utf8);
        return doc.RootElement;
    }
}
