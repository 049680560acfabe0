using System.Buffers;
using System.Text;
using System.Text.Json;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// The body of a built <see cref="KlaviyoRequest"/>, kept as structure until it is sent: nothing, a JSON tree
/// (already through <see cref="KlaviyoOptions.JsonCodec"/>), form fields, or multipart parts. Printers, loggers and
/// recorders work from this structure; <see cref="ToBytes"/> derives the bytes for the wire.
/// <see cref="ToString"/> never shows a secret field.
/// </summary>
public abstract record RequestContent
{
    private RequestContent() { }

    /// <summary>No body.</summary>
    public static readonly RequestContent None = new Empty();

    /// <summary>The <c>content-type</c> this content is sent with; <c>null</c> for no body.</summary>
    public abstract string? ContentType { get; }

    /// <summary>The bytes sent on the wire.</summary>
    public abstract ReadOnlyMemory<byte> ToBytes();

    /// <summary>No body.</summary>
    public sealed record Empty : RequestContent
    {
        /// <inheritdoc />
        public override string? ContentType => null;

        /// <inheritdoc />
        public override ReadOnlyMemory<byte> ToBytes() => ReadOnlyMemory<byte>.Empty;

        /// <inheritdoc />
        public override string ToString() => "no body";
    }

    /// <summary>A JSON value, sent as <c>application/vnd.api+json</c>.</summary>
    public sealed record Json : RequestContent
    {
        private readonly ReadOnlyMemory<byte> _utf8;

        /// <summary>A JSON body from a tree.</summary>
        /// <param name="value">The value.</param>
        public Json(JsonElement value) => Value = value;

        // The tree and the exact bytes it was parsed from, so sending does not write the tree again.
        internal Json(JsonElement value, ReadOnlyMemory<byte> utf8)
        {
            Value = value;
            _utf8 = utf8;
        }

        /// <summary>The JSON value.</summary>
        public JsonElement Value { get; }

        /// <inheritdoc />
        public override string? ContentType => MediaTypes.JsonApi;

        /// <inheritdoc />
        public override ReadOnlyMemory<byte> ToBytes()
        {
            if (!_utf8.IsEmpty)
                return _utf8;
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var writer = new Utf8JsonWriter(buffer))
                Value.WriteTo(writer);
            return buffer.WrittenMemory;
        }

        /// <summary>Structural equality of the JSON values.</summary>
        /// <param name="other">The other content.</param>
        public bool Equals(Json? other) =>
            other is not null && JsonElement.DeepEquals(Value, other.Value);

        /// <summary>A hash of the value's kind.</summary>
        public override int GetHashCode() => Value.ValueKind.GetHashCode();

        /// <summary>The JSON with secret fields masked.</summary>
        public override string ToString() =>
            Encoding.UTF8.GetString(
                JsonRedaction
                    .Redact(ToBytes(), RedactionScope.ForRequest(default, RedactionRules.Default))
                    .IfNone(() => Encoding.UTF8.GetBytes(Redaction.Mask))
                    .Span
            );
    }

    /// <summary>Form fields, sent as <c>application/x-www-form-urlencoded</c>.</summary>
    /// <param name="Fields">The fields, in order, unencoded.</param>
    public sealed record Form(Seq<(string Name, string Value)> Fields) : RequestContent
    {
        /// <inheritdoc />
        public override string? ContentType => MediaTypes.Form;

        /// <inheritdoc />
        public override ReadOnlyMemory<byte> ToBytes() =>
            Encoding.UTF8.GetBytes(PercentEncoding.EncodePairs(Fields));

        /// <summary>The fields, secret ones masked.</summary>
        public override string ToString() =>
            PercentEncoding.EncodePairs(
                RedactionScope.ForRequest(default, RedactionRules.Default).Fields(Fields)
            );
    }

    /// <summary>Multipart parts, sent as <c>multipart/form-data</c> with <see cref="Boundary"/>.</summary>
    /// <param name="Parts">The parts, in order.</param>
    /// <param name="Boundary">The boundary between parts (derived from the content, so it cannot occur in it).</param>
    public sealed record Multipart(Seq<MultipartPart> Parts, string Boundary) : RequestContent
    {
        /// <inheritdoc />
        public override string? ContentType => $"multipart/form-data; boundary={Boundary}";

        /// <inheritdoc />
        public override ReadOnlyMemory<byte> ToBytes()
        {
            var buffer = new ArrayBufferWriter<byte>(256 + Parts.Sum(p => p.Content.Length + 128));
            void Write(string s) => buffer.Write(Encoding.UTF8.GetBytes(s));
            foreach (var p in Parts)
            {
                Write($"--{Boundary}\r\n");
                Write($"Content-Disposition: form-data; name=\"{Quote(p.Name)}\"");
                if (p.FileName is not null)
                    Write($"; filename=\"{Quote(p.FileName)}\"");
                Write("\r\n");
                if (p.ContentType is not null)
                    Write($"Content-Type: {p.ContentType}\r\n");
                Write("\r\n");
                buffer.Write(p.Content.Span);
                Write("\r\n");
            }
            Write($"--{Boundary}--\r\n");
            return buffer.WrittenMemory;
        }

        /// <summary>The parts: names, text fields (secret ones masked) and file sizes.</summary>
        public override string ToString() =>
            string.Join(
                "; ",
                Parts.Map(p =>
                    p.FileName is null
                        ? $"{p.Name}={RedactionScope.ForRequest(default, RedactionRules.Default).Field(p.Name, Encoding.UTF8.GetString(p.Content.Span))}"
                        : $"{p.Name}=<{p.FileName}, {p.Content.Length} bytes>"
                )
            );

        private static string Quote(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");
    }
}
