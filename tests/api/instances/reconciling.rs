//! Two instances' reconcilers on one database never read one payment back in the same period:
//! both run at once, several times, at the same moment, and Voucherly hears of each due
//! payment exactly once; when the payments are due again, once more each. (Two runs do not
//! always overlap closely enough to catch a missing lease in one period: the test goes through
//! several.)

use std::collections::HashMap;

use wiremock::MockServer;

use super::on_voucherly;
use crate::callbacks::{reads_back, voucherly_payment};
use crate::helpers::spawn_on_postgres_with;

const PAYMENTS: usize = 50;
/// The periods the test runs through: each payment is read once in each.
const PERIODS: u64 = 10;
/// The reconcilers' runs in each period, both instances at once.
const ROUNDS: usize = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_reconcilers_read_each_due_payment_once_per_period() {
    let voucherly = MockServer::start().await;
    let configure = on_voucherly(&voucherly);
    let app = spawn_on_postgres_with(|settings| {
        configure(settings);
        // Only the test's own runs read payments back.
        settings.reconcile_every = 3600;
    })
    .await;
    let mut ids = Vec::new();
    for n in 0..PAYMENTS {
        let order = app.insert_order("demo-mario", &format!("R-{n:02}"), 1290);
        let id = format!("pay_{n:02}");
        // Created at 1_000, first due at 1_060.
        let reference = app.insert_payment(order, Some(&id), "requested", 1_000);
        // Still waiting for the shopper: it stays unsettled, due again later.
        reads_back(
            &id,
            voucherly_payment(&id, &reference, "Requested"),
            PERIODS,
        )
        .mount(&voucherly)
        .await;
        ids.push(id);
    }
    let first = app.payments_with(&voucherly).await;
    let second = app.payments_with(&voucherly).await;
    let due_at = || -> (i64, i64) {
        let row = app.db().rows(
            "SELECT MIN(next_check_at), MAX(next_check_at) FROM payments",
            &[],
        );
        let [min, max] = <[_; 2]>::try_from(row.into_iter().next().unwrap()).unwrap();
        use crate::helpers::test_db::FromVal;
        (i64::from_val(min), i64::from_val(max))
    };

    let mut now = 1_060;
    let mut read_so_far = 0;
    for period in 0..PERIODS {
        assert_eq!(due_at(), (now, now), "every payment is due at {now}");
        let mut looked_at = Vec::new();
        for _ in 0..ROUNDS {
            let (by_first, by_second) =
                tokio::join!(first.reconcile_once(now), second.reconcile_once(now));
            looked_at.push((by_first.expect("a run"), by_second.expect("a run")));
        }
        let requests = voucherly.received_requests().await.expect("recorded");
        let reads: Vec<String> = requests[read_so_far..]
            .iter()
            .filter_map(|request| {
                // Payments read back; the app may ask Voucherly other things (its gateways).
                let id = request.url.path().strip_prefix("/v1/payments/")?;
                assert_eq!(request.method.as_str(), "GET", "only reads");
                Some(id.to_owned())
            })
            .collect();
        read_so_far = requests.len();
        let mut times: HashMap<&str, usize> = HashMap::new();
        for id in &reads {
            *times.entry(id.as_str()).or_default() += 1;
        }
        let twice: Vec<_> = times.iter().filter(|(_, n)| **n > 1).collect();
        assert!(
            twice.is_empty(),
            "period {period} at {now}: read more than once: {twice:?} (runs: {looked_at:?})"
        );
        for id in &ids {
            assert_eq!(
                times.get(id.as_str()),
                Some(&1),
                "period {period} at {now}: {id} (runs: {looked_at:?})"
            );
        }
        assert_eq!(reads.len(), PAYMENTS);
        let total: usize = looked_at.iter().map(|(a, b)| a + b).sum();
        assert_eq!(total, PAYMENTS, "runs: {looked_at:?}");
        println!("period {period} at {now}: payments looked at per run {looked_at:?}");

        // Read, each is due again later (the wait doubles): until then, nothing is read.
        let (next, latest) = due_at();
        assert_eq!(next, latest, "read together, due again together");
        assert!(next > now);
        let (a, b) = tokio::join!(
            first.reconcile_once(next - 1),
            second.reconcile_once(next - 1)
        );
        assert_eq!((a.expect("a run"), b.expect("a run")), (0, 0));
        now = next;
    }
}
