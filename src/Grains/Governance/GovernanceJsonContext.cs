using System.Text.Json.Serialization;
using Odock.Grains.ApiKeys;
using Odock.Grains.Budgets;
using Odock.Grains.Catalog;

namespace Odock.Grains.Governance;

/// <summary>The source-generated contracts of every governance grain's arguments and results.</summary>
[JsonSerializable(typeof(AdmitRequest))]
[JsonSerializable(typeof(AdmitResult))]
[JsonSerializable(typeof(KeyGrant))]
[JsonSerializable(typeof(KeyStart))]
[JsonSerializable(typeof(Refusal))]
[JsonSerializable(typeof(ReservationReply))]
[JsonSerializable(typeof(LimitStatus))]
[JsonSerializable(typeof(CatalogSnapshot))]
internal sealed partial class GovernanceJsonContext : JsonSerializerContext;
