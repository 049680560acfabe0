using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Klaviyo;

/// <summary>A decoded response body: nothing, parsed JSON, or raw text.</summary>
public abstract record ResponseBody
{
    private ResponseBody() { }

    /// <summary>No body.</summary>
    public static readonly ResponseBody None = new Empty();

    /// <summary>No body (an empty payload).</summary>
    public sealed record Empty : ResponseBody
    {
        /// <inheritdoc />
        public override string ToString() => "";
    }

    /// <summary>
    /// A JSON body (content-type matched <c>(/|+)json</c>). The bytes were checked to be well-formed JSON when the
    /// response was classified; the document tree is built on first use of <see cref="Value"/>, so a caller that
    /// only looks at the status pays for no tree.
    /// </summary>
    public sealed record Json : ResponseBody
    {
        private readonly ReadOnlyMemory<byte> _utf8;
        private readonly IJsonCodec? _codec;
        private StrongBox<JsonElement>? _value;

        /// <summary>A JSON body from an element.</summary>
        /// <param name="value">The root element.</param>
        public Json(JsonElement value) => _value = new StrongBox<JsonElement>(value);

        /// <summary>A JSON body from well-formed UTF-8 bytes, parsed on first use by <paramref name="codec"/>.</summary>
        /// <param name="utf8">Well-formed JSON.</param>
        /// <param name="codec">The codec that parses it.</param>
        internal Json(ReadOnlyMemory<byte> utf8, IJsonCodec codec)
        {
            _utf8 = utf8;
            _codec = codec;
        }

        /// <summary>The body's UTF-8 bytes (as received, or written from the element).</summary>
        internal ReadOnlyMemory<byte> Utf8
        {
            get
            {
                if (!_utf8.IsEmpty)
                    return _utf8;
                var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
                using (var writer = new Utf8JsonWriter(buffer))
                    Value.WriteTo(writer);
                return buffer.WrittenMemory;
            }
        }

        /// <summary>The parsed root element.</summary>
        public JsonElement Value
        {
            get
            {
                var box = Volatile.Read(ref _value);
                if (box is null)
                {
                    box = new StrongBox<JsonElement>(_codec!.Parse(_utf8));
                    box = Interlocked.CompareExchange(ref _value, box, null) ?? box;
                }
                return box.Value;
            }
        }

        /// <summary>
        /// Runs <paramref name="read"/> over the root element without keeping a tree: parsed into pooled memory that is
        /// given back as soon as <paramref name="read"/> returns (the tree already built is used when there is one).
        /// </summary>
        /// <param name="read">Reads what it needs; the element is valid only while it runs.</param>
        internal T Read<T>(Func<JsonElement, T> read)
        {
            if (Volatile.Read(ref _value) is { } box)
                return read(box.Value);
            if (_codec is not SystemTextJsonCodec)
                return read(Value);
            using var document = JsonDocument.Parse(_utf8);
            return read(document.RootElement);
        }

        /// <summary>Deconstructs into the root element.</summary>
        /// <param name="value">The root element.</param>
        public void Deconstruct(out JsonElement value) => value = Value;

        /// <summary>Structural equality of the JSON values.</summary>
        /// <param name="other">The other body.</param>
        public bool Equals(Json? other) =>
            other is not null && JsonElement.DeepEquals(Value, other.Value);

        /// <summary>A hash of the value's kind.</summary>
        public override int GetHashCode() => Value.ValueKind.GetHashCode();

        /// <inheritdoc />
        public override string ToString() => Value.GetRawText();
    }

    /// <summary>A body that is not JSON, as text.</summary>
    /// <param name="Value">The text.</param>
    public sealed record Text(string Value) : ResponseBody
    {
        /// <inheritdoc />
        public override string ToString() => Value;
    }

    /// <summary>The JSON root when the body is JSON, else <c>null</c>.</summary>
    public JsonElement? AsJson => this is Json j ? j.Value : null;
}
