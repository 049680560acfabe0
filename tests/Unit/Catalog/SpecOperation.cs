using System.Text.Json;
using System.Text.RegularExpressions;

namespace Klaviyo.Tests;

/// <summary>
/// The spec's operations as the tests read them, straight from the JSON (independently of the generator), and the
/// C# conventions the generated methods follow, stated once here so the tests can hold the code to them.
/// </summary>
internal sealed record SpecOperation(
    string Id,
    string Tag,
    string Method,
    string Path,
    JsonElement Element
)
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    public static IReadOnlyList<SpecOperation> All()
    {
        var list = new List<SpecOperation>();
        foreach (var path in SpecFile.Root.GetProperty("paths").EnumerateObject())
        foreach (var m in path.Value.EnumerateObject())
            if (Methods.Contains(m.Name))
                list.Add(
                    new SpecOperation(
                        m.Value.GetProperty("operationId").GetString()!,
                        m.Value.GetProperty("tags")[0].GetString()!,
                        m.Name.ToUpperInvariant(),
                        path.Name,
                        m.Value
                    )
                );
        return list;
    }

    // The spec's "Client" tag is generated as ClientApi (it would read as KlaviyoOptions.Client); every other tag as is.
    public string ClassName => Tag == "Client" ? "ClientApi" : Pascal(Tag);

    public string MethodName => Pascal(Id);

    /// <summary>Path, query and header parameters, without the revision header.</summary>
    public IReadOnlyList<JsonElement> Parameters =>
        Element.TryGetProperty("parameters", out var ps)
            ?
            [
                .. ps.EnumerateArray()
                    .Select(Resolve)
                    .Where(p =>
                        !(
                            p.GetProperty("in").GetString() == "header"
                            && p.GetProperty("name").GetString() == "revision"
                        )
                    ),
            ]
            : [];

    public IReadOnlyList<JsonElement> PathParameters =>
        [
            .. Parameters
                .Where(p => In(p) == "path")
                .OrderBy(p => Path.IndexOf("{" + Name(p) + "}", StringComparison.Ordinal)),
        ];

    public IReadOnlyList<JsonElement> QueryParameters =>
        [.. Parameters.Where(p => In(p) == "query")];

    public IReadOnlyList<JsonElement> HeaderParameters =>
        [.. Parameters.Where(p => In(p) == "header")];

    public string? ContentType =>
        Element.TryGetProperty("requestBody", out var rb)
            ? Resolve(rb).GetProperty("content").EnumerateObject().First().Name
            : null;

    public JsonElement? MultipartSchema =>
        ContentType == "multipart/form-data"
            ? Resolve(
                Resolve(Element.GetProperty("requestBody"))
                    .GetProperty("content")
                    .GetProperty("multipart/form-data")
                    .GetProperty("schema")
            )
            : null;

    public static string Name(JsonElement p) => p.GetProperty("name").GetString()!;

    public static string In(JsonElement p) => p.GetProperty("in").GetString()!;

    public static bool Required(JsonElement p) =>
        p.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.True;

    public static JsonElement Schema(JsonElement p) => Resolve(p.GetProperty("schema"));

    public static string Type(JsonElement p) => Schema(p).GetProperty("type").GetString()!;

    public static IReadOnlyList<string> Enum(JsonElement p)
    {
        var s = Schema(p);
        if (Type(p) == "array")
            s = Resolve(s.GetProperty("items"));
        return s.TryGetProperty("enum", out var e)
            ? [.. e.EnumerateArray().Select(x => x.GetString()!)]
            : [];
    }

    public static int? Int(JsonElement schema, string name) =>
        schema.TryGetProperty(name, out var v) ? v.GetInt32() : null;

    public static JsonElement Resolve(JsonElement e)
    {
        while (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("$ref", out var r))
        {
            var target = SpecFile.Root;
            foreach (
                var seg in r.GetString()!
                    .TrimStart('#')
                    .Split('/', StringSplitOptions.RemoveEmptyEntries)
            )
                target = target.GetProperty(seg);
            e = target;
        }
        return e;
    }

    public static IReadOnlyList<string> Strings(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
            ? [.. v.EnumerateArray().Select(x => x.GetString()!)]
            : [];

    // ---- the conventions ----

    private static string[] Words(string s) =>
        Regex.Split(s, "[^A-Za-z0-9]+").Where(w => w.Length > 0).ToArray();

    /// <summary><c>get_profiles</c> → <c>GetProfiles</c>.</summary>
    public static string Pascal(string s) =>
        string.Concat(Words(s).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    /// <summary><c>fields[campaign-message]</c> → <c>fieldsCampaignMessage</c>; <c>API-Filters</c> → <c>apiFilters</c>.</summary>
    public static string Camel(string s)
    {
        var words = Words(s);
        var first = words[0].All(c => !char.IsLower(c))
            ? words[0].ToLowerInvariant()
            : char.ToLowerInvariant(words[0][0]) + words[0][1..];
        return first
            + string.Concat(words.Skip(1).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
    }

    /// <summary>Optional query parameters come in this order (stable within a rank).</summary>
    public static int QueryRank(string wire) =>
        wire switch
        {
            "filter" => 0,
            _ when wire.StartsWith("fields[") => 1,
            "include" => 2,
            "sort" => 3,
            "page[cursor]" or "page_cursor" => 4,
            "page[size]" => 5,
            _ when wire.StartsWith("additional-fields[") => 6,
            _ => 7,
        };
}
