using System.Text.Json.Serialization.Metadata;
using LanguageExt;

namespace Klaviyo;

/// <summary>The body of a <see cref="RequestOperation"/>: none, a JSON value, form fields or multipart parts.</summary>
public abstract record RequestBody
{
    private RequestBody() { }

    /// <summary>No body.</summary>
    public static readonly RequestBody None = new Empty();

    /// <summary>A JSON body, encoded by <see cref="KlaviyoOptions.JsonCodec"/> and sent as <c>application/vnd.api+json</c>.</summary>
    /// <param name="value">Any value the codec can write: an anonymous object, a dictionary, a <c>JsonNode</c>, a <c>JsonElement</c>, a record.</param>
    public static RequestBody Json(object? value) => new JsonValue(value);

    /// <summary>
    /// A JSON body from a typed value, encoded with <paramref name="typeInfo"/> (System.Text.Json source-generated
    /// metadata), so it needs no reflection: safe in trimmed and Native AOT apps.
    /// </summary>
    /// <typeparam name="T">The body's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="typeInfo">Its JSON metadata, e.g. <c>MyContext.Default.MyBody</c>.</param>
    public static RequestBody Json<T>(T value, JsonTypeInfo<T> typeInfo) =>
        new TypedJsonValue(value, typeInfo);

    /// <summary>A form body, sent as <c>application/x-www-form-urlencoded</c>.</summary>
    /// <param name="fields">The fields, in order.</param>
    public static RequestBody Form(Seq<(string Name, string Value)> fields) =>
        new FormFields(fields);

    /// <summary>A multipart body, sent as <c>multipart/form-data</c> with a boundary.</summary>
    /// <param name="parts">The parts, in order.</param>
    public static RequestBody Multipart(Seq<MultipartPart> parts) => new MultipartParts(parts);

    /// <summary>No body.</summary>
    public sealed record Empty : RequestBody
    {
        /// <inheritdoc />
        public override string ToString() => "no body";
    }

    /// <summary>A JSON value.</summary>
    /// <param name="Value">The value to encode.</param>
    public sealed record JsonValue(object? Value) : RequestBody
    {
        /// <summary>The value as JSON with secret fields masked (encoded with the default codec).</summary>
        public override string ToString() =>
            BodyEncoding
                .Encode(this, SystemTextJsonCodec.Default)
                .Match(body => body.Content.ToString(), problems => $"JSON ({problems.Head})");
    }

    /// <summary>A typed JSON value with its source-generated metadata.</summary>
    /// <param name="Value">The value.</param>
    /// <param name="TypeInfo">Its JSON metadata.</param>
    public sealed record TypedJsonValue(object? Value, JsonTypeInfo TypeInfo) : RequestBody
    {
        /// <summary>The value as JSON with secret fields masked.</summary>
        public override string ToString() =>
            BodyEncoding
                .Encode(this, SystemTextJsonCodec.Default)
                .Match(body => body.Content.ToString(), problems => $"JSON ({problems.Head})");
    }

    /// <summary>Form fields.</summary>
    /// <param name="Fields">The fields, in order.</param>
    public sealed record FormFields(Seq<(string Name, string Value)> Fields) : RequestBody
    {
        /// <summary>The fields, secret ones masked.</summary>
        public override string ToString() => new RequestContent.Form(Fields).ToString();
    }

    /// <summary>Multipart parts.</summary>
    /// <param name="Parts">The parts, in order.</param>
    public sealed record MultipartParts(Seq<MultipartPart> Parts) : RequestBody
    {
        /// <summary>The parts: names, text fields (secret ones masked) and file sizes.</summary>
        public override string ToString() => new RequestContent.Multipart(Parts, "-").ToString();
    }
}

/// <summary>One part of a <c>multipart/form-data</c> body: a text field or a file.</summary>
/// <param name="Name">The form field name.</param>
/// <param name="Content">The part's bytes (UTF-8 for text fields).</param>
/// <param name="FileName">The file name for a file part; <c>null</c> for a text field.</param>
/// <param name="ContentType">The part's content type for a file part; <c>null</c> for a text field.</param>
public sealed record MultipartPart(
    string Name,
    ReadOnlyMemory<byte> Content,
    string? FileName = null,
    string? ContentType = null
)
{
    /// <summary>A text field.</summary>
    /// <param name="name">The field name.</param>
    /// <param name="value">The value.</param>
    public static MultipartPart Text(string name, string value) =>
        new(name, System.Text.Encoding.UTF8.GetBytes(value));

    /// <summary>A file.</summary>
    /// <param name="name">The field name.</param>
    /// <param name="fileName">The file name sent in the content disposition.</param>
    /// <param name="contentType">The file's content type, e.g. <c>image/png</c>.</param>
    /// <param name="content">The file's bytes.</param>
    public static MultipartPart File(
        string name,
        string fileName,
        string contentType,
        ReadOnlyMemory<byte> content
    ) => new(name, content, fileName, contentType);

    /// <summary>Value equality, comparing content bytes.</summary>
    /// <param name="other">The other part.</param>
    public bool Equals(MultipartPart? other) =>
        other is not null
        && Name == other.Name
        && FileName == other.FileName
        && ContentType == other.ContentType
        && Content.Span.SequenceEqual(other.Content.Span);

    /// <summary>A hash over name, file name, content type and length.</summary>
    public override int GetHashCode() =>
        HashCode.Combine(Name, FileName, ContentType, Content.Length);
}
