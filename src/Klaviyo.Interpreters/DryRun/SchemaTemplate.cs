using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Klaviyo;

/// <summary>
/// The example document of one response schema, expanded and serialized once, cut where a request's own facts go:
/// the type and id of a single resource (and its attributes, completed when it turns out to be a job), how many
/// resources of a list are kept, and the top-level <c>links</c>. Everything else is written as the bytes serialized
/// once. <see cref="Write"/> gives the same bytes as filling a fresh copy of the document in and serializing it
/// (what <see cref="SchemaResponse"/> did per request before, at about 30 times the cost). Immutable, so shared by
/// every request and thread.
/// </summary>
internal sealed class SchemaTemplate
{
    private readonly Member[] _members;

    private SchemaTemplate(Member[] members) => _members = members;

    /// <summary>Whether the document has a top-level <c>links</c> object, the only part showing the request's URL.</summary>
    public bool ShowsUrl { get; private init; }

    /// <summary>Whether <c>data</c> is one resource (an object with a type or an id), whose type and id a request sets.</summary>
    public bool HasResource { get; private init; }

    /// <summary>Whether <c>data</c> is a list, which a request's page size shortens.</summary>
    public bool HasList { get; private init; }

    /// <summary>
    /// The template of <paramref name="document"/>, a fresh tree it may change: every job among the list's and the
    /// <c>included</c> resources is completed here once, since their types do not depend on the request.
    /// </summary>
    /// <param name="document">The expanded example document.</param>
    public static SchemaTemplate Of(JsonObject document)
    {
        if (document["data"] is JsonArray items)
        {
            foreach (var item in items)
                if (item is JsonObject resource)
                    JobCompletion.Complete(resource);
            // A list always ends its pagination, so it always has links to say so.
            document["links"] = document["links"] as JsonObject ?? [];
        }
        if (document["included"] is JsonArray included)
            foreach (var item in included)
                if (item is JsonObject resource)
                    JobCompletion.Complete(resource);

        var isList = document["data"] is JsonArray;
        var members = new List<Member>(document.Count);
        foreach (var (name, value) in document)
            members.Add(
                (name, value) switch
                {
                    ("data", JsonObject data)
                        when data.ContainsKey("type") || data.ContainsKey("id") =>
                        new Member.Resource(JsonEncodedText.Encode(name), ResourcePart.Of(data)),
                    ("data", JsonArray list) => new Member.List(
                        JsonEncodedText.Encode(name),
                        [.. list.Select(Bytes)]
                    ),
                    ("links", JsonObject links) => new Member.Links(
                        JsonEncodedText.Encode(name),
                        LinksPart.Of(links, isList)
                    ),
                    _ => new Member.Raw(JsonEncodedText.Encode(name), Bytes(value)),
                }
            );
        return new SchemaTemplate([.. members])
        {
            ShowsUrl = document["links"] is JsonObject,
            HasResource = members.Exists(m => m is Member.Resource),
            HasList = isList,
        };
    }

    /// <summary>Writes the answer to one request.</summary>
    /// <param name="w">Where to write.</param>
    /// <param name="facts">The request's own facts.</param>
    public void Write(Utf8JsonWriter w, in RequestFacts facts)
    {
        w.WriteStartObject();
        foreach (var member in _members)
        {
            w.WritePropertyName(member.Name);
            switch (member)
            {
                case Member.Raw raw:
                    w.WriteRawValue(raw.Bytes, skipInputValidation: true);
                    break;
                case Member.Resource resource:
                    resource.Part.Write(w, facts);
                    break;
                case Member.List list:
                    w.WriteStartArray();
                    var kept = facts.PageSize is { } size
                        ? Math.Min(size, list.Items.Length)
                        : list.Items.Length;
                    for (var i = 0; i < kept; i++)
                        w.WriteRawValue(list.Items[i], skipInputValidation: true);
                    w.WriteEndArray();
                    break;
                case Member.Links links:
                    links.Part.Write(w, facts.Url!);
                    break;
            }
        }
        w.WriteEndObject();
    }

    // Compact UTF-8 JSON as Utf8JsonWriter writes the node anywhere in a document (its default options).
    private static byte[] Bytes(JsonNode? node)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            if (node is null)
                w.WriteNullValue();
            else
                node.WriteTo(w);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>What of a request shows in its answer.</summary>
    /// <param name="Type">A creation's type from its body, else null (the example's type stays).</param>
    /// <param name="Id">The new id of a creation or the id from the path of a single resource, else null.</param>
    /// <param name="PageSize">How many resources a list keeps at most, else null (all).</param>
    /// <param name="Url">The redacted request URL, when the document shows it (<see cref="ShowsUrl"/>).</param>
    internal readonly record struct RequestFacts(
        string? Type,
        string? Id,
        int? PageSize,
        string? Url
    );

    private abstract record Member(JsonEncodedText Name)
    {
        public sealed record Raw(JsonEncodedText Name, byte[] Bytes) : Member(Name);

        public sealed record Resource(JsonEncodedText Name, ResourcePart Part) : Member(Name);

        public sealed record List(JsonEncodedText Name, byte[][] Items) : Member(Name);

        public sealed record Links(JsonEncodedText Name, LinksPart Part) : Member(Name);
    }

    // A single resource: its members as in the example, where its type, id and attributes go, and its attributes as
    // a completed job has them.
    private sealed class ResourcePart
    {
        private static readonly JsonEncodedText TypeName = JsonEncodedText.Encode("type");
        private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("id");
        private static readonly JsonEncodedText AttributesName = JsonEncodedText.Encode(
            "attributes"
        );

        private readonly (JsonEncodedText Name, string Key, byte[] Bytes)[] _members;
        private readonly string? _exampleType;
        private readonly bool _hasType;
        private readonly bool _hasId;
        private readonly bool _hasAttributes;
        private readonly byte[] _completedAttributes;

        private ResourcePart(
            (JsonEncodedText, string, byte[])[] members,
            string? exampleType,
            bool hasType,
            bool hasId,
            bool hasAttributes,
            byte[] completedAttributes
        )
        {
            _members = members;
            _exampleType = exampleType;
            _hasType = hasType;
            _hasId = hasId;
            _hasAttributes = hasAttributes;
            _completedAttributes = completedAttributes;
        }

        public static ResourcePart Of(JsonObject data)
        {
            var completed = (JsonObject)data.DeepClone();
            JobCompletion.CompleteAttributes(completed);
            return new ResourcePart(
                [.. data.Select(p => (JsonEncodedText.Encode(p.Key), p.Key, Bytes(p.Value)))],
                JobCompletion.TypeName(data),
                data.ContainsKey("type"),
                data.ContainsKey("id"),
                data.ContainsKey("attributes"),
                Bytes(completed["attributes"])
            );
        }

        // Members keep their places; a type, id or attributes the example lacks are added at the end, in that order.
        public void Write(Utf8JsonWriter w, in RequestFacts facts)
        {
            var job = JobCompletion.IsJob(facts.Type ?? _exampleType);
            w.WriteStartObject();
            foreach (var (name, key, bytes) in _members)
            {
                if (key == "type" && facts.Type is { } type)
                    w.WriteString(name, type);
                else if (key == "id" && facts.Id is { } id)
                    w.WriteString(name, id);
                else
                {
                    w.WritePropertyName(name);
                    w.WriteRawValue(
                        key == "attributes" && job ? _completedAttributes : bytes,
                        skipInputValidation: true
                    );
                }
            }
            if (!_hasType && facts.Type is { } addedType)
                w.WriteString(TypeName, addedType);
            if (!_hasId && facts.Id is { } addedId)
                w.WriteString(IdName, addedId);
            if (!_hasAttributes && job)
            {
                w.WritePropertyName(AttributesName);
                w.WriteRawValue(_completedAttributes, skipInputValidation: true);
            }
            w.WriteEndObject();
        }
    }

    // The top-level links: self, first and last become the request's URL, next and prev null; a list's links get a
    // self and a next when the example lacks them (added at the end, in that order).
    private sealed class LinksPart
    {
        private static readonly JsonEncodedText SelfName = JsonEncodedText.Encode("self");
        private static readonly JsonEncodedText NextName = JsonEncodedText.Encode("next");

        private readonly (JsonEncodedText Name, LinkKind Kind, byte[] Bytes)[] _members;
        private readonly bool _addSelf;
        private readonly bool _addNext;

        private LinksPart((JsonEncodedText, LinkKind, byte[])[] members, bool addSelf, bool addNext)
        {
            _members = members;
            _addSelf = addSelf;
            _addNext = addNext;
        }

        public static LinksPart Of(JsonObject links, bool isList) =>
            new(
                [
                    .. links.Select(p =>
                        (
                            JsonEncodedText.Encode(p.Key),
                            p.Key switch
                            {
                                "self" or "first" or "last" => LinkKind.Url,
                                "next" or "prev" => LinkKind.Null,
                                _ => LinkKind.Example,
                            },
                            Bytes(p.Value)
                        )
                    ),
                ],
                !links.ContainsKey("self"),
                isList && !links.ContainsKey("next")
            );

        public void Write(Utf8JsonWriter w, string url)
        {
            w.WriteStartObject();
            foreach (var (name, kind, bytes) in _members)
                switch (kind)
                {
                    case LinkKind.Url:
                        w.WriteString(name, url);
                        break;
                    case LinkKind.Null:
                        w.WriteNull(name);
                        break;
                    default:
                        w.WritePropertyName(name);
                        w.WriteRawValue(bytes, skipInputValidation: true);
                        break;
                }
            if (_addSelf)
                w.WriteString(SelfName, url);
            if (_addNext)
                w.WriteNull(NextName);
            w.WriteEndObject();
        }
    }

    private enum LinkKind
    {
        Example,
        Url,
        Null,
    }
}
