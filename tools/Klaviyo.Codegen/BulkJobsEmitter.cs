using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Klaviyo.Codegen;

/// <summary>
/// Emits <c>OperationCatalog.BulkJobs</c>: every operation that creates an asynchronous job for a batch of items (a POST to a
/// <c>…-jobs</c> path whose JSON:API body carries the items under <c>data.attributes.X.data</c> or
/// <c>data.relationships.X.data</c>), with the limits its description states ("Accepts up to 10,000 profiles per
/// request", "The maximum allowed payload size is 5MB", "… per-profile is 100KB"), the operation that reads the job
/// back, the one that lists its per-item errors, and whether the job resource carries its errors itself.
/// </summary>
public static partial class BulkJobsEmitter
{
    /// <summary>What the spec says about one bulk-job operation.</summary>
    /// <param name="OperationId">The operation creating the job.</param>
    /// <param name="JobType">The job's JSON:API type (the body's <c>data.type</c>).</param>
    /// <param name="ItemsPath">Where the items go in the body, dotted, e.g. <c>data.attributes.profiles.data</c>.</param>
    /// <param name="ItemType">The items' JSON:API type, when the spec names one.</param>
    /// <param name="SingleItem">Whether the body holds one item (an object) rather than a list.</param>
    /// <param name="MaxItems">The item count per job the description states, or (for a single item) 1.</param>
    /// <param name="MaxBytes">The payload size per job the description states.</param>
    /// <param name="MaxItemBytes">The payload size per item the description states.</param>
    /// <param name="PollOperationId">The GET of one job, when there is one.</param>
    /// <param name="ErrorsOperationId">The GET listing a job's per-item errors, when there is one.</param>
    /// <param name="InlineErrors">Whether the job resource has an <c>errors</c> attribute.</param>
    public sealed record BulkJob(
        string OperationId,
        string JobType,
        string ItemsPath,
        string? ItemType,
        bool SingleItem,
        int? MaxItems,
        long? MaxBytes,
        long? MaxItemBytes,
        string? PollOperationId,
        string? ErrorsOperationId,
        bool InlineErrors
    );

    /// <summary>The bulk-job operations, in spec order.</summary>
    /// <param name="specJson">The spec.</param>
    public static IReadOnlyList<BulkJob> Find(string specJson)
    {
        using var document = JsonDocument.Parse(specJson);
        var root = document.RootElement;
        var paths = root.GetProperty("paths");
        var found = new List<BulkJob>();
        foreach (var path in paths.EnumerateObject())
        {
            if (
                !path.Name.EndsWith("-jobs", StringComparison.Ordinal)
                || !path.Value.TryGetProperty("post", out var post)
                || !post.TryGetProperty("requestBody", out var requestBody)
            )
                continue;
            var data = Child(root, BodySchema(root, requestBody), "data");
            var jobType = FirstEnum(root, Child(root, data, "type"));
            var items = ItemsOf(root, data);
            if (jobType is null || items is null)
                continue;
            var (itemsPath, itemType, single) = items.Value;
            var description = Str(post, "description") ?? "";
            var (maxItems, maxBytes, maxItemBytes) = Limits(description);
            var poll = Get(paths, path.Name, 1, s => s.StartsWith('{'));
            var errors = Get(
                paths,
                path.Name,
                2,
                s => s.Contains("error", StringComparison.Ordinal)
            );
            found.Add(
                new BulkJob(
                    post.GetProperty("operationId").GetString()!,
                    jobType,
                    itemsPath,
                    itemType,
                    single,
                    single ? 1 : maxItems,
                    maxBytes,
                    maxItemBytes,
                    poll is null ? null : Str(poll.Value, "operationId"),
                    errors is null ? null : Str(errors.Value, "operationId"),
                    poll is { } p && HasErrorsAttribute(root, p)
                )
            );
        }
        return found;
    }

    /// <summary>
    /// The limits a description states: items per job, bytes per job, bytes per item. Sizes are read in decimal
    /// units (5MB = 5,000,000 bytes), the smaller reading, so a job within them is within Klaviyo's whichever it means.
    /// </summary>
    /// <param name="description">The operation's description.</param>
    public static (int? Items, long? Bytes, long? ItemBytes) Limits(string description)
    {
        int? items = null;
        long? bytes = null;
        long? itemBytes = null;
        // The rate limits and scopes follow the first <br>; they are not per-job limits.
        var text = description.Split("<br>", 2)[0].Replace("`", "", StringComparison.Ordinal);
        foreach (var raw in SentenceBreak().Split(text))
        {
            var sentence = raw.Trim().ToLowerInvariant();
            // "The maximum number of jobs in progress at one time is 500" limits jobs, not items.
            if (sentence.Contains("jobs", StringComparison.Ordinal))
                continue;
            var size = Size().Match(sentence);
            if (sentence.Contains("payload size", StringComparison.Ordinal) && size.Success)
            {
                var value = (long)(
                    decimal.Parse(size.Groups[1].Value, CultureInfo.InvariantCulture)
                    * Unit(size.Groups[2].Value)
                );
                if (sentence.Contains("per-", StringComparison.Ordinal))
                    itemBytes ??= value;
                else
                    bytes ??= value;
                continue;
            }
            var perJob =
                PerJob().IsMatch(sentence)
                || sentence.Contains("can be submitted", StringComparison.Ordinal);
            var number = Number().Match(sentence);
            if (items is null && perJob && Limit().IsMatch(sentence) && number.Success)
                items = int.Parse(
                    number.Value.Replace(",", "", StringComparison.Ordinal),
                    CultureInfo.InvariantCulture
                );
        }
        return (items, bytes, itemBytes);
    }

    /// <summary>The generated file.</summary>
    /// <param name="revision">The spec revision.</param>
    /// <param name="specJson">The spec.</param>
    public static GeneratedFile Emit(string revision, string specJson)
    {
        var sb = new StringBuilder();
        sb.Append(Generator.Header(revision));
        sb.Append("#nullable enable\n\nnamespace Klaviyo;\n\n");
        sb.Append("public static partial class OperationCatalog\n{\n");
        sb.Append("    private static readonly BulkJobEntry[] GeneratedBulkJobs =\n    [\n");
        foreach (var job in Find(specJson))
        {
            sb.Append("        new BulkJobEntry(\n");
            sb.Append("            ").Append(Literal(job.OperationId)).Append(",\n");
            sb.Append("            ").Append(Literal(job.JobType)).Append(",\n");
            sb.Append("            ").Append(Literal(job.ItemsPath)).Append(",\n");
            sb.Append("            ").Append(Literal(job.ItemType)).Append(",\n");
            sb.Append("            ").Append(job.SingleItem ? "true" : "false").Append(",\n");
            sb.Append("            ").Append(Number(job.MaxItems)).Append(",\n");
            sb.Append("            ").Append(Number(job.MaxBytes)).Append(",\n");
            sb.Append("            ").Append(Number(job.MaxItemBytes)).Append(",\n");
            sb.Append("            ").Append(Literal(job.PollOperationId)).Append(",\n");
            sb.Append("            ").Append(Literal(job.ErrorsOperationId)).Append(",\n");
            sb.Append("            ").Append(job.InlineErrors ? "true" : "false").Append('\n');
            sb.Append("        ),\n");
        }
        sb.Append("    ];\n}\n");
        return new GeneratedFile("OperationCatalog.BulkJobs.g.cs", sb.ToString());
    }

    private static string Literal(string? s) => s is null ? "null" : $"\"{s}\"";

    private static string Number(long? n) =>
        n is { } v ? v.ToString(CultureInfo.InvariantCulture) : "null";

    private static long Unit(string unit) =>
        unit switch
        {
            "kb" => 1_000,
            "mb" => 1_000_000,
            _ => 1_000_000_000,
        };

    // The first property under data.attributes (then data.relationships) whose value is {"data": [...]}; failing
    // that, one under data.attributes whose value is {"data": {...}} (a job for a single item).
    private static (string Path, string? ItemType, bool Single)? ItemsOf(
        JsonElement root,
        JsonElement data
    )
    {
        foreach (var container in new[] { "attributes", "relationships" })
        foreach (var property in Properties(root, Child(root, data, container)))
        {
            var list = Child(root, property.Value, "data");
            if (Str(list, "type") == "array")
                return (
                    $"data.{container}.{property.Name}.data",
                    FirstEnum(root, Child(root, Resolve(root, list.GetProperty("items")), "type")),
                    false
                );
        }
        foreach (var property in Properties(root, Child(root, data, "attributes")))
        {
            var one = Child(root, property.Value, "data");
            if (Str(one, "type") == "object" || Prop(one, "properties").ValueKind != default)
                return (
                    $"data.attributes.{property.Name}.data",
                    FirstEnum(root, Child(root, one, "type")),
                    true
                );
        }
        return null;
    }

    // The GET of a path below prefix: one segment deeper (the job) or two (a listing under the job).
    private static JsonElement? Get(
        JsonElement paths,
        string jobPath,
        int depth,
        Func<string, bool> last
    )
    {
        foreach (var path in paths.EnumerateObject())
        {
            if (!path.Name.StartsWith(jobPath + "/{", StringComparison.Ordinal))
                continue;
            var rest = path.Name[(jobPath.Length + 1)..].Split('/');
            if (
                rest.Length == depth
                && last(rest[^1])
                && path.Value.TryGetProperty("get", out var get)
            )
                return get;
        }
        return null;
    }

    private static bool HasErrorsAttribute(JsonElement root, JsonElement get)
    {
        if (
            !get.TryGetProperty("responses", out var responses)
            || !responses.TryGetProperty("200", out var ok)
        )
            return false;
        var content = Prop(Resolve(root, ok), "content");
        if (content.ValueKind != JsonValueKind.Object)
            return false;
        foreach (var media in content.EnumerateObject())
        {
            var attributes = Child(
                root,
                Child(root, Resolve(root, Prop(media.Value, "schema")), "data"),
                "attributes"
            );
            if (Properties(root, attributes).Any(p => p.Name == "errors"))
                return true;
        }
        return false;
    }

    private static JsonElement BodySchema(JsonElement root, JsonElement requestBody)
    {
        var content = Prop(Resolve(root, requestBody), "content");
        if (content.ValueKind != JsonValueKind.Object)
            return default;
        foreach (var media in content.EnumerateObject())
            return Resolve(root, Prop(media.Value, "schema"));
        return default;
    }

    private static string? FirstEnum(JsonElement root, JsonElement schema)
    {
        var values = Prop(Resolve(root, schema), "enum");
        return values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0
            ? values[0].GetString()
            : null;
    }

    private static JsonElement Child(JsonElement root, JsonElement schema, string name) =>
        Resolve(root, Prop(Prop(Resolve(root, schema), "properties"), name));

    private static IEnumerable<JsonProperty> Properties(JsonElement root, JsonElement schema)
    {
        var properties = Prop(Resolve(root, schema), "properties");
        return properties.ValueKind == JsonValueKind.Object ? properties.EnumerateObject() : [];
    }

    private static JsonElement Resolve(JsonElement root, JsonElement e)
    {
        for (var depth = 0; depth < 32; depth++)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("$ref", out var r))
                return e;
            var target = root;
            foreach (
                var segment in r.GetString()!
                    .TrimStart('#')
                    .Split('/', StringSplitOptions.RemoveEmptyEntries)
            )
                target = target.GetProperty(segment.Replace("~1", "/").Replace("~0", "~"));
            e = target;
        }
        throw new InvalidOperationException("$ref chain too deep");
    }

    private static JsonElement Prop(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : default;

    private static string? Str(JsonElement e, string name) =>
        Prop(e, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    [GeneratedRegex(@"(?<=[.!?])\s+|\n+")]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)\s*(kb|mb|gb)\b")]
    private static partial Regex Size();

    [GeneratedRegex(@"\bper (request|job|call)\b")]
    private static partial Regex PerJob();

    [GeneratedRegex(@"\b(up to|max|maximum|limit)\b")]
    private static partial Regex Limit();

    [GeneratedRegex(@"\d[\d,]*\d|\d")]
    private static partial Regex Number();
}
