using System.Text.Json;
using LanguageExt;

namespace Klaviyo;

/// <summary>
/// One job's worth of items: a contiguous run of the input, within the operation's item-count and encoded-size
/// limits, with the request document that creates the job.
/// </summary>
/// <param name="Index">Which job of the pipeline this is, from 0.</param>
/// <param name="FirstItem">The input index of the first item.</param>
/// <param name="Items">The items, in input order.</param>
/// <param name="Body">The JSON:API document creating the job (the items under the operation's items path).</param>
/// <param name="Bytes">The size of <see cref="Body"/> as the options' JSON codec encodes it: what is sent.</param>
/// <param name="Fingerprint">A SHA-256 of the encoded body (32 hex digits), so a journal can tell when the input changed.</param>
public sealed record BulkChunk(
    int Index,
    int FirstItem,
    Seq<JsonElement> Items,
    JsonElement Body,
    long Bytes,
    string Fingerprint
)
{
    /// <summary>How many items.</summary>
    public int Count => Items.Count;

    /// <summary>Like <c>BulkChunk { Index = 2, items 200-299, 48213 bytes }</c>; never the items themselves.</summary>
    public override string ToString() =>
        $"BulkChunk {{ Index = {Index}, items {FirstItem}-{FirstItem + Count - 1}, {Bytes} bytes }}";
}

/// <summary>Items that were not sent: too large for any job, refused by Klaviyo, or not reached because the pipeline stopped.</summary>
/// <param name="FirstItem">The input index of the first item.</param>
/// <param name="Count">How many items; <c>null</c> for "this one and every one after it" (the pipeline stopped).</param>
/// <param name="Reason">Why, for a person.</param>
public sealed record BulkNotSubmitted(int FirstItem, int? Count, string Reason)
{
    /// <summary>What Klaviyo answered when it refused the job, if it did.</summary>
    public KlaviyoError? Error { get; init; }
}
