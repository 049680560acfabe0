using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Klaviyo;

/// <summary>
/// Parses JSON into a tree that is kept for as long as its elements are used (a response's <c>Json</c>), at the
/// smallest cost System.Text.Json has for one: the document points at the caller's bytes (no copy) and its index of
/// tokens is an exact-size array, not a pool array that is never given back.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="JsonDocument.Parse(ReadOnlyMemory{byte}, JsonDocumentOptions)"/> indexes the tokens into an array rented
/// from <see cref="System.Buffers.ArrayPool{T}.Shared"/>, sized for one token per byte: for a 2 KB page, a 4 KB array.
/// A document that is kept is never disposed, so the array never goes back and every parse rents (allocates) a new
/// one. The runtime's own non-pooled parse (the one <see cref="JsonDocument.ParseValue"/> uses after copying the bytes)
/// indexes into a rented array, copies the index to an exact-size array and gives the rented one back: about 40% fewer
/// bytes for a typical page, with no copy of the body. It is not public, so it is reached with an
/// <see cref="UnsafeAccessorAttribute"/> (checked when the library is trimmed or compiled ahead of time); on a runtime
/// where it is missing or has another signature, the public parse is used instead, with the same result.
/// </para>
/// </remarks>
internal static class KeptJson
{
    private static volatile bool _exact = true;

    /// <summary>Parses <paramref name="utf8"/> (well-formed JSON); the root refers to the bytes without copying them.</summary>
    /// <param name="utf8">The bytes, kept by the tree.</param>
    /// <exception cref="JsonException">Malformed JSON.</exception>
    public static JsonElement Parse(ReadOnlyMemory<byte> utf8)
    {
        if (_exact)
        {
            try
            {
                return ParseUnrented(null, utf8, default, JsonTokenType.None, true).RootElement;
            }
            catch (MissingMethodException)
            {
                _exact = false;
            }
        }
        return JsonDocument.Parse(utf8).RootElement;
    }

    // System.Text.Json 10: JsonDocument.ParseUnrented(ReadOnlyMemory<byte> utf8Json, JsonReaderOptions readerOptions,
    // JsonTokenType tokenType = None, bool allowDuplicateProperties = true): the index is built in a rented array and
    // copied to an exact one (the rented one is returned); the document is not disposable.
    [UnsafeAccessor(UnsafeAccessorKind.StaticMethod, Name = "ParseUnrented")]
    private static extern JsonDocument ParseUnrented(
        JsonDocument? type,
        ReadOnlyMemory<byte> utf8Json,
        JsonReaderOptions readerOptions,
        JsonTokenType tokenType,
        bool allowDuplicateProperties
    );
}
