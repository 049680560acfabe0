using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace Klaviyo;

/// <summary>
/// Writes the JSON:API document creating a bulk job:
/// <c>{"data":{"type":JOB,"attributes":{…extra,KEY:{"data":[ITEMS]}},"relationships":{…}}}</c>, the items under the
/// operation's items path (in <c>attributes</c> or <c>relationships</c>). Pure.
/// </summary>
internal static class BulkBody
{
    /// <summary>Where the items go: <c>attributes</c> or <c>relationships</c>, and the member name.</summary>
    /// <param name="job">The operation.</param>
    public static (string Container, string Key) Place(BulkJobEntry job)
    {
        var parts = job.ItemsPath.Split('.');
        if (
            parts.Length != 4
            || parts[0] != "data"
            || parts[1] is not ("attributes" or "relationships")
            || parts[3] != "data"
        )
            throw new ArgumentException(
                $"{job.OperationId}: items path '{job.ItemsPath}' is not data.attributes.NAME.data or data.relationships.NAME.data"
            );
        return (parts[1], parts[2]);
    }

    /// <summary>Checks that the extra attributes and relationships are JSON objects.</summary>
    /// <param name="options">The options.</param>
    public static void Check(BulkOptions options)
    {
        foreach (
            var (name, value) in new[]
            {
                ("Attributes", options.Attributes),
                ("Relationships", options.Relationships),
            }
        )
            if (value is { ValueKind: not JsonValueKind.Object } v)
                throw new ArgumentException(
                    $"BulkOptions.{name} must be a JSON object, not {v.ValueKind}"
                );
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxJobsInFlight, 1);
    }

    /// <summary>The document as UTF-8, minified, strings escaped as System.Text.Json's default encoder does.</summary>
    /// <param name="job">The operation.</param>
    /// <param name="options">Extra attributes and relationships.</param>
    /// <param name="items">The items (one, for a single-item job).</param>
    public static byte[] Write(
        BulkJobEntry job,
        BulkOptions options,
        IReadOnlyList<JsonElement> items
    )
    {
        var (container, key) = Place(job);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("data");
            w.WriteString("type", job.JobType);
            foreach (
                var (name, extra) in new[]
                {
                    ("attributes", options.Attributes),
                    ("relationships", options.Relationships),
                }
            )
            {
                var holdsItems = name == container;
                if (!holdsItems && extra is null)
                    continue;
                w.WriteStartObject(name);
                if (extra is { } members)
                    foreach (var member in members.EnumerateObject())
                        if (!(holdsItems && member.Name == key))
                            member.WriteTo(w);
                if (holdsItems)
                {
                    w.WriteStartObject(key);
                    w.WritePropertyName("data");
                    if (job.SingleItem && items.Count == 1)
                        items[0].WriteTo(w);
                    else
                    {
                        w.WriteStartArray();
                        foreach (var item in items)
                            item.WriteTo(w);
                        w.WriteEndArray();
                    }
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>32 hex digits of the SHA-256 of <paramref name="bytes"/>.</summary>
    /// <param name="bytes">The encoded body.</param>
    public static string Fingerprint(ReadOnlySpan<byte> bytes) =>
        Convert.ToHexStringLower(SHA256.HashData(bytes))[..32];
}
