using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Klaviyo.Models;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// Decodes Klaviyo's JSON into the generated models (<c>Klaviyo.Models</c>), leniently and without reflection.
/// Unknown members are ignored, an unknown enum value is kept, <c>null</c> is accepted anywhere (a required number
/// or boolean reads as its default), numbers and booleans are read from strings and strings from numbers. Only a
/// value of the wrong shape (an array where an object belongs, say) fails: as a
/// <see cref="KlaviyoError.Decode"/> naming the JSON path. Never throws.
/// </summary>
/// <example><code>
/// ModelJson.Decode&lt;GetProfileResponsePluralConversationsCollectionCompoundDocument&gt;(bytes)
///     .Map(page => page.Data[0].Attributes.Email);
/// </code></example>
public static class ModelJson
{
    /// <summary>The options the models are read and written with: the generated converters, no reflection.</summary>
    internal static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions { TypeInfoResolver = ModelsResolver.Instance };
        options.MakeReadOnly();
        return options;
    }

    /// <summary>Decodes UTF-8 JSON into <typeparamref name="T"/>, a generated model.</summary>
    /// <param name="utf8">The JSON text, UTF-8 encoded.</param>
    /// <typeparam name="T">The model, e.g. <c>GetProfileResponse</c>.</typeparam>
    /// <returns>The value, or a <see cref="KlaviyoError.Decode"/> saying where and why it did not fit.</returns>
    public static Either<KlaviyoError, T> Decode<T>(ReadOnlyMemory<byte> utf8) =>
        Decode(typeof(T), utf8).Map(v => (T)v);

    /// <summary>Decodes a JSON value into <typeparamref name="T"/>, a generated model.</summary>
    /// <param name="json">The JSON value.</param>
    /// <typeparam name="T">The model, e.g. <c>GetProfileResponse</c>.</typeparam>
    /// <returns>The value, or a <see cref="KlaviyoError.Decode"/> saying where and why it did not fit.</returns>
    public static Either<KlaviyoError, T> Decode<T>(JsonElement json) =>
        Run(typeof(T), json.GetRawText, info => json.Deserialize(info)).Map(v => (T)v);

    /// <summary>Decodes UTF-8 JSON into the model <paramref name="type"/>.</summary>
    internal static Either<KlaviyoError, object> Decode(Type type, ReadOnlyMemory<byte> utf8) =>
        Run(
            type,
            () => Encoding.UTF8.GetString(utf8.Span),
            info => JsonSerializer.Deserialize(utf8.Span, info)
        );

    /// <summary>Writes a model as UTF-8 JSON (members whose value is null are left out).</summary>
    internal static byte[] Encode<T>(T value) =>
        JsonSerializer.SerializeToUtf8Bytes(value, (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T)));

    /// <summary>Writes a model of type <paramref name="type"/> as UTF-8 JSON.</summary>
    internal static byte[] Encode(Type type, object value) =>
        JsonSerializer.SerializeToUtf8Bytes(value, Options.GetTypeInfo(type));

    private static Either<KlaviyoError, object> Run(
        Type type,
        Func<string> rawText,
        Func<JsonTypeInfo, object?> read
    )
    {
        JsonTypeInfo info;
        try
        {
            info = Options.GetTypeInfo(type);
        }
        catch (NotSupportedException)
        {
            return Error($"{type.Name} is not a generated Klaviyo model", rawText());
        }
        try
        {
            return read(info) is { } value
                ? Prelude.Right<KlaviyoError, object>(value)
                : Error($"at $: expected {type.Name}, found null", rawText());
        }
        catch (JsonException e)
        {
            var path = e is ModelJsonException m
                ? NestedPath(e.Path, m.RelativePath)
                : e.Path ?? "$";
            var reason = e is ModelJsonException mm
                ? mm.Reason
                : ModelJsonException.WithoutPathSuffix(e.Message);
            return Error($"at {path}: {reason}", rawText());
        }
        catch (Exception e)
            when (e
                    is NotSupportedException
                        or InvalidOperationException
                        or ArgumentException
                        or FormatException
                        or OverflowException
            )
        {
            return Error(
                $"cannot decode into {type.Name}: {ModelJsonException.WithoutPathSuffix(e.Message)}",
                rawText()
            );
        }
    }

    private static string NestedPath(string? outer, string inner) =>
        string.IsNullOrEmpty(outer) || outer == "$" ? inner : outer + inner[1..];

    // Explicitly Left: the value side is object, which a KlaviyoError would silently convert to.
    private static Either<KlaviyoError, object> Error(string reason, string rawText) =>
        Prelude.Left<KlaviyoError, object>(
            new KlaviyoError.Decode(reason, 0, new ResponseHeaders(default), rawText)
            {
                Attempts = 0,
            }
        );
}
