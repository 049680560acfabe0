using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

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

/// <summary>
/// The default codec, on System.Text.Json: no naming policy, so names go out as written. A <see cref="Secret"/> in a
/// body is written as its value (this is the wire), and remembered so that every printer masks it.
/// </summary>
public sealed class SystemTextJsonCodec : IJsonCodec
{
    /// <summary>The shared instance.</summary>
    public static readonly SystemTextJsonCodec Default = new(new JsonSerializerOptions());

    private readonly JsonSerializerOptions _options;

    /// <summary>Creates a codec with the given serializer options (copied; a secret-revealing converter is added).</summary>
    /// <param name="options">System.Text.Json options used for encoding.</param>
    public SystemTextJsonCodec(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = new JsonSerializerOptions(options);
        _options.Converters.Insert(0, new RevealingSecretConverter());
        // The generated models are resolved first, from their generated metadata: a typed body passed where an
        // object is taken is written without reflection (so it works in a trimmed or AOT app too).
        _options.TypeInfoResolver = JsonTypeInfoResolver.Combine(
            Klaviyo.Models.ModelsResolver.Instance,
            _options.TypeInfoResolver ?? Reflection()
        );
        _options.MakeReadOnly();
    }

    /// <inheritdoc />
    [UnconditionalSuppressMessage(
        "Trimming",
        "IL2026",
        Justification = "Encoding an arbitrary object needs reflection; typed bodies use source-generated metadata instead (RequestBody.Json with a JsonTypeInfo)."
    )]
    [UnconditionalSuppressMessage(
        "AOT",
        "IL3050",
        Justification = "As above: the reflection path is for untyped bodies only."
    )]
    public byte[] Encode(object? value) =>
        value switch
        {
            null => "null"u8.ToArray(),
            JsonElement e => ElementBytes(e),
            _ => JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), _options),
        };

    /// <inheritdoc />
    public JsonElement Parse(ReadOnlyMemory<byte> utf8) =>
        // The document keeps pointing at the caller's bytes, so the element stays valid without a copy; its token
        // index is exact-size rather than a pool array that would never go back (KeptJson).
        KeptJson.Parse(utf8);

    private static byte[] ElementBytes(JsonElement e)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
            e.WriteTo(writer);
        return buffer.WrittenSpan.ToArray();
    }

    [UnconditionalSuppressMessage(
        "Trimming",
        "IL2026",
        Justification = "The reflection resolver serves untyped bodies only (see Encode)."
    )]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "As above.")]
    private static System.Text.Json.Serialization.Metadata.IJsonTypeInfoResolver Reflection() =>
        new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver();
}

/// <summary>
/// Writes a <see cref="Secret"/>'s value (used only by the wire codecs) and notes it, so that the request it ends up
/// in masks it wherever it is printed.
/// </summary>
internal sealed class RevealingSecretConverter : JsonConverter<Secret>
{
    [ThreadStatic]
    private static List<Secret>? Noted;

    /// <summary>Runs <paramref name="encode"/> and returns what it gave with every secret it wrote.</summary>
    /// <param name="encode">Encodes a body (synchronously, on this thread).</param>
    public static (T Result, LanguageExt.Seq<Secret> Secrets) Collect<T>(Func<T> encode)
    {
        var outer = Noted;
        var noted = new List<Secret>();
        Noted = noted;
        try
        {
            var result = encode();
            return (result, LanguageExt.Prelude.toSeq(noted.ToArray()));
        }
        finally
        {
            Noted = outer;
            outer?.AddRange(noted);
        }
    }

    public override Secret? Read(
        ref Utf8JsonReader reader,
        Type typeToConvert,
        JsonSerializerOptions options
    ) =>
        reader.TokenType == JsonTokenType.Null ? null
        : reader.TokenType == JsonTokenType.String ? Secret.OrNull(reader.GetString())
        : throw new JsonException("a secret must be a JSON string");

    public override void Write(Utf8JsonWriter writer, Secret value, JsonSerializerOptions options)
    {
        Noted?.Add(value);
        writer.WriteStringValue(value.Reveal());
    }
}
