using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Klaviyo.Models;

/// <summary>
/// How a generated model (record or union) reads and writes itself: code written by the generator, member by
/// member, with no reflection, so decoding is trim- and AOT-safe.
/// </summary>
internal interface IJsonModel<TSelf>
    where TSelf : class, IJsonModel<TSelf>
{
    /// <summary>Reads a value; the reader is on its first token, which is not <c>null</c>.</summary>
    static abstract TSelf Read(ref Utf8JsonReader reader, JsonSerializerOptions options);

    /// <summary>Writes <paramref name="value"/>.</summary>
    static abstract void Write(Utf8JsonWriter writer, TSelf value, JsonSerializerOptions options);
}

/// <summary>The converter of every generated model: reading and writing are the model's own.</summary>
internal sealed class ModelConverter<T> : JsonConverter<T>
    where T : class, IJsonModel<T>
{
    public override T Read(
        ref Utf8JsonReader reader,
        Type typeToConvert,
        JsonSerializerOptions options
    ) => T.Read(ref reader, options);

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        T.Write(writer, value, options);
}

/// <summary>
/// Resolves the JSON metadata of every model (a generated table of types and their converters), so
/// <c>JsonSerializerOptions.GetTypeInfo</c> works for them without reflection.
/// </summary>
internal sealed partial class ModelsResolver : IJsonTypeInfoResolver
{
    public static readonly ModelsResolver Instance = new();

    private ModelsResolver() { }

    public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options) =>
        Factories.TryGetValue(type, out var create) ? create(options) : null;

    private static JsonTypeInfo Model<T>(JsonSerializerOptions options)
        where T : class, IJsonModel<T> =>
        JsonMetadataServices.CreateValueInfo<T>(options, new ModelConverter<T>());

    private static JsonTypeInfo Value<T>(JsonSerializerOptions options)
        where T : struct, IStringValue<T> =>
        JsonMetadataServices.CreateValueInfo<T>(options, new StringValueConverter<T>());
}
