using Odock.Domain.Models;

namespace Odock.Storage.Sql;

/// <summary>The stored shape of a price schedule with more than one entry, or with a dated one.</summary>
internal sealed class StoredPriceSchedule
{
    public List<ModelPricing> Schedule { get; set; } = [];
}
