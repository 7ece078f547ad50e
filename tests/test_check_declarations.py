"""What ``missing-signature`` counts as a declaration: functions, methods and classes with methods, in the
languages plans are written for; never calls, fields, types with fields only, SQL or test functions."""

from __future__ import annotations

import pytest

from cgplan.check.plan_doc import declares

DECLARES = [
    "export async function limitStripeRateMiddleware(",
    "export function verifyStripeSignatureMiddleware(secret: string): RequestHandler",
    "function normalizeScans(",
    "def find_silent_shipments(reader: Connection, now: datetime) -> list[SilentShipment]:",
    "    def set(self, patron_id: int, channel: Channel) -> None: ...",
    "async def handle(self, msg: Msg) -> None: ...",
    "func (r *Reporter) Report(ctx context.Context, run RunSummary) error",
    "func NewFetcher(client *stripe.Client, limiter *rate.Limiter) Fetcher",
    "\tFetchDay(ctx context.Context, day civil.Date, out chan<- BalanceTxn) error",
    "  markSeen(eventId: string, ttlSeconds: number): Promise<boolean>;",
    "  public lookup(carrier: string, carrierStatus: string): NormalizedStatus | undefined;",
    "  private claimSlot(nowMs: number): Promise<boolean>;",
    "  constructor(private readonly stripe: Stripe, private readonly redis: Redis) {}",
    "public Charge charge(ChargeRequest request);",
    "Task<Charge> ChargeAsync(ChargeRequest request);",
    "fun charge(request: ChargeRequest): Charge",
    "pub fn drain(&mut self, now: Instant) -> usize {",
    "export const sweepExpired = async (db: Pool, now: Date): Promise<number> => {",
]

NOT_DECLARES = [
    "interface QueuedCharge {",
    "  requestId: string;",
    "class SilentShipment:",
    "class OverduePatron(Base):",
    "    shipment_id: str",
    "@dataclass(frozen=True)",
    "type NormalizedStatus =",
    "private String id;",
    "doThing(x);",
    "await limiter.acquire(req, res);",
    "client.charge(request)",
    "expect(res.status).toBe(202);",
    "describe('RateLimitMiddleware integration with Redis Cache', () => {",
    "it('queues the 101st request', async () => {",
    "return next();",
    "CREATE TABLE payment_events (",
    "UNIQUE (stripe_event_id)",
    "def test_query_reads_from_reader_only(mysql_reader, mysql_writer): ...",
    "func TestFetcherPagesOneDay(t *testing.T) {",
    "// Setup: a test instance of API Gateway (Express)",
    "# Assert: the flags are written",
]


@pytest.mark.parametrize("line", DECLARES)
def test_declarations_count(line):
    assert declares(line)


@pytest.mark.parametrize("line", NOT_DECLARES)
def test_calls_fields_and_types_with_fields_do_not(line):
    assert not declares(line)
