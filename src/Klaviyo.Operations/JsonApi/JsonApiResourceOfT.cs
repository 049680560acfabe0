using LanguageExt;

namespace Klaviyo;

/// <summary>
/// A resource whose attributes were decoded into <typeparamref name="T"/>. Deconstructs to <c>(Id, Attributes)</c>:
/// <c>foreach (var (id, profile) in profiles) …</c>.
/// </summary>
/// <typeparam name="T">The attributes type.</typeparam>
public sealed record JsonApiResource<T>
{
    /// <summary>Pairs a resource with its decoded attributes.</summary>
    /// <param name="resource">The resource as read.</param>
    /// <param name="attributes">Its decoded attributes.</param>
    public JsonApiResource(JsonApiResource resource, T attributes)
    {
        Resource = resource;
        Attributes = attributes;
    }

    /// <summary>The resource as read: raw attributes, relationships, links.</summary>
    public JsonApiResource Resource { get; init; }

    /// <summary>The decoded attributes.</summary>
    public T Attributes { get; init; }

    /// <summary>The resource type.</summary>
    public string Type => Resource.Type;

    /// <summary>The resource id; <c>null</c> when absent.</summary>
    public string? Id => Resource.Id;

    /// <summary>The relationships by name.</summary>
    public Map<string, JsonApiRelationship> Relationships => Resource.Relationships;

    /// <summary>The resource's links.</summary>
    public JsonApiLinks Links => Resource.Links;

    /// <summary>Splits into id and attributes.</summary>
    /// <param name="id">The resource id.</param>
    /// <param name="attributes">The decoded attributes.</param>
    public void Deconstruct(out string? id, out T attributes)
    {
        id = Id;
        attributes = Attributes;
    }

    /// <summary>Type and id only, so personal data stays out of logs.</summary>
    public override string ToString() =>
        $"JsonApiResource<{typeof(T).Name}> {{ Type = {Type}, Id = {Id} }}";
}
