namespace Odock.Grains.ApiKeys;

/// <summary>Stage 1 input: what the gateway knows before reading the body.</summary>
public sealed record AdmitRequest(string ClientAddress, long PayloadBytes);
