using System.Text.Json;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Klaviyo;

/// <summary>
/// Reads the JSON:API envelope. Lenient about what is optional (links, meta, relationships, attributes, nulls);
/// strict only where a resource object must be: a non-object there is an error naming its path. Never throws: strings
/// and keys that are not well-formed Unicode are read through <see cref="JsonText"/> (broken parts as U+FFFD).
/// </summary>
internal static class JsonApiReading
{
    /// <summary>A shared empty object, used for absent or <c>null</c> attributes.</summary>
    public static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;

    public static Either<KlaviyoError, JsonApiDocument> Document(
        JsonElement root,
        DecodeOrigin origin
    )
    {
        if (root.ValueKind != JsonValueKind.Object)
            return origin.Error(
                $"expected a JSON:API document (a JSON object) at $, found {Describe(root.ValueKind)}"
            );

        var data = Get(root, "data") switch
        {
            { ValueKind: JsonValueKind.Object } one => Resource(one, "$.data", origin)
                .Map(r => (JsonApiData)new JsonApiData.One(r)),
            { ValueKind: JsonValueKind.Array } many => Resources(many, "$.data", origin)
                .Map(rs => (JsonApiData)new JsonApiData.Many(rs)),
            { ValueKind: JsonValueKind.Undefined or JsonValueKind.Null } => Right<
                KlaviyoError,
                JsonApiData
            >(new JsonApiData.Null()),
            var other => Left<KlaviyoError, JsonApiData>(
                origin.Error(
                    $"expected a resource object, an array of them, or null at $.data, found {Describe(other.ValueKind)}"
                )
            ),
        };

        var included = Get(root, "included") switch
        {
            { ValueKind: JsonValueKind.Array } many => Resources(many, "$.included", origin),
            { ValueKind: JsonValueKind.Undefined or JsonValueKind.Null } => Right<
                KlaviyoError,
                Seq<JsonApiResource>
            >(Seq<JsonApiResource>()),
            var other => Left<KlaviyoError, Seq<JsonApiResource>>(
                origin.Error(
                    $"expected an array of resource objects at $.included, found {Describe(other.ValueKind)}"
                )
            ),
        };

        return from d in data
            from i in included
            select new JsonApiDocument(
                d,
                i,
                Links(Get(root, "links")),
                Meta(Get(root, "meta")),
                KlaviyoApiError.FromBody(new ResponseBody.Json(root))
            )
            {
                Origin = origin,
            };
    }

    private static Either<KlaviyoError, Seq<JsonApiResource>> Resources(
        JsonElement array,
        string location,
        DecodeOrigin origin
    )
    {
        var list = new List<JsonApiResource>(array.GetArrayLength());
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var r = Resource(item, $"{location}[{index++}]", origin);
            if (r.IsLeft)
                return r.Map(_ => Seq<JsonApiResource>());
            r.IfRight(list.Add);
        }
        return toSeq(list);
    }

    private static Either<KlaviyoError, JsonApiResource> Resource(
        JsonElement e,
        string location,
        DecodeOrigin origin
    )
    {
        if (e.ValueKind != JsonValueKind.Object)
            return origin.Error(
                $"expected a resource object at {location}, found {Describe(e.ValueKind)}"
            );
        var attributes = Get(e, "attributes");
        return new JsonApiResource(
            Text(Get(e, "type")) ?? "",
            Text(Get(e, "id")),
            attributes.ValueKind == JsonValueKind.Object ? attributes : EmptyObject,
            Relationships(Get(e, "relationships")),
            Links(Get(e, "links")),
            Meta(Get(e, "meta"))
        )
        {
            Location = location,
            Origin = origin,
        };
    }

    private static Map<string, JsonApiRelationship> Relationships(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
            return Map<string, JsonApiRelationship>();
        var map = Map<string, JsonApiRelationship>();
        foreach (var p in e.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.Object)
                continue;
            var data = Get(p.Value, "data");
            var ids = data.ValueKind switch
            {
                JsonValueKind.Object => Identifiers([data]),
                JsonValueKind.Array => Identifiers(data.EnumerateArray()),
                _ => Seq<ResourceIdentifier>(),
            };
            map = map.AddOrUpdate(
                JsonText.Name(p),
                new JsonApiRelationship(
                    ids,
                    data.ValueKind == JsonValueKind.Array,
                    data.ValueKind != JsonValueKind.Undefined,
                    Links(Get(p.Value, "links"))
                )
            );
        }
        return map;
    }

    /// <summary>The well-formed identifiers among <paramref name="items"/>; malformed ones are skipped.</summary>
    private static Seq<ResourceIdentifier> Identifiers(IEnumerable<JsonElement> items) =>
        toSeq(items.Select(Identifier).OfType<ResourceIdentifier>().ToArray());

    /// <summary>An identifier from <c>{"type":…,"id":…}</c>; <c>null</c> when either is missing. Numeric ids are kept as text.</summary>
    public static ResourceIdentifier? Identifier(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
            return null;
        var type = Text(Get(e, "type"));
        var id = Text(Get(e, "id"));
        return type is null || id is null ? null : new ResourceIdentifier(type, id);
    }

    public static JsonApiLinks Links(JsonElement e) =>
        e.ValueKind != JsonValueKind.Object
            ? JsonApiLinks.None
            : new JsonApiLinks(
                Link(e, "self"),
                Link(e, "next"),
                Link(e, "prev"),
                Link(e, "first"),
                Link(e, "last"),
                Link(e, "related")
            );

    private static string? Link(JsonElement links, string name)
    {
        var v = Get(links, name);
        if (v.ValueKind == JsonValueKind.Object)
            v = Get(v, "href");
        return v.ValueKind == JsonValueKind.String ? JsonText.String(v) : null;
    }

    private static JsonElement? Meta(JsonElement e) =>
        e.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : e;

    private static JsonElement Get(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && JsonText.TryGetProperty(obj, name, out var v)
            ? v
            : default;

    private static string? Text(JsonElement e) =>
        e.ValueKind switch
        {
            JsonValueKind.String => JsonText.String(e),
            JsonValueKind.Number => JsonText.RawText(e),
            _ => null,
        };

    public static string Describe(JsonValueKind kind) =>
        kind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Null => "null",
            _ => "nothing",
        };
}
