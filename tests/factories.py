"""Factories for every app's models: valid Belgian identifiers, French names, MFA ready for staff."""

import datetime
import itertools

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from ale_platform.identifiers import build_bce, build_niss
from ale_platform.models import Activite, Agence, AgenceMembership, Role, TypeUtilisateur, User
from forem_liaison.models import Adressage, BureauForem, Conseiller
from prestataires.models import Prestataire, SituationEligibilite
from utilisateurs.models import Utilisateur

PASSWORD = "motdepasse-de-test-123"
_counter = itertools.count(1)


def give_totp(user) -> str:
    """Activates TOTP for the user (as allauth's set-up page would) and returns the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.be")
    first_name = factory.Faker("first_name", locale="fr_BE")
    last_name = factory.Faker("last_name", locale="fr_BE")
    password = factory.django.Password(PASSWORD)
    role = ""

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)

    @factory.post_generation
    def mfa(obj, create, extracted, **kwargs):
        # Staff and advisers must have MFA; give it unless the test asks for mfa=False.
        if create and (extracted if extracted is not None else obj.must_use_mfa):
            give_totp(obj)


class AgenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agence

    nom = factory.Sequence(lambda n: f"ALE de Commune {n}")
    bce = factory.Sequence(lambda n: build_bce(5_000_000 + n))
    rue = "Place communale 1"
    code_postal = "5000"
    commune = "Namur"
    email = factory.Sequence(lambda n: f"ale{n}@example.be")
    telephone = "081 00 00 00"


class ActiviteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activite

    agence = factory.SubFactory(AgenceFactory)
    nom = factory.Sequence(lambda n: f"Activité {n}")
    categorie = Activite.Categorie.GENERALE
    types_utilisateurs = factory.LazyFunction(lambda: list(TypeUtilisateur.values))


class CollaborateurFactory(UserFactory):
    role = Role.COLLABORATEUR

    @factory.post_generation
    def agence(obj, create, extracted, **kwargs):
        if create and extracted is not None:
            AgenceMembership.objects.create(user=obj, agence=extracted, is_admin=kwargs.get("admin", False))


class BureauForemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BureauForem
        django_get_or_create = ["nom"]

    nom = factory.Sequence(lambda n: f"Forem — antenne {n}")
    commune = "Namur"


class ConseillerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conseiller

    user = factory.SubFactory(UserFactory, role=Role.CONSEILLER)
    bureau = factory.SubFactory(BureauForemFactory)


def niss_sequence(n: int, birth: datetime.date = datetime.date(1980, 1, 1)) -> str:
    return build_niss(birth + datetime.timedelta(days=n % 3000), 1 + (n * 2) % 996)


class PrestataireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prestataire
        skip_postgeneration_save = True

    agence = factory.SubFactory(AgenceFactory)
    nom = factory.Faker("last_name", locale="fr_BE")
    prenom = factory.Faker("first_name", locale="fr_BE")
    niss = factory.Sequence(niss_sequence)
    rue = "Rue de la Station 1"
    code_postal = "5030"
    commune = "Gembloux"

    @factory.post_generation
    def eligible(obj, create, extracted, **kwargs):
        """Eligible (RIS since 2015) unless a test says `eligible=False`: contracts, planning and hours check it."""
        if create and extracted is not False:
            SituationEligibilite.objects.create(
                prestataire=obj,
                base="ris",
                depuis=datetime.date(2015, 1, 1),
                preuve="Attestation du CPAS",
                date_preuve=datetime.date(2015, 1, 1),
            )


class UtilisateurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Utilisateur

    agence = factory.SubFactory(AgenceFactory)
    type = TypeUtilisateur.PARTICULIER
    nom = factory.Faker("last_name", locale="fr_BE")
    prenom = factory.Faker("first_name", locale="fr_BE")
    # A particulier has a NISS, a legal person a BCE number (database constraint).
    niss = factory.LazyAttributeSequence(
        lambda o, n: niss_sequence(n, datetime.date(1960, 3, 1)) if o.type == TypeUtilisateur.PARTICULIER else ""
    )
    bce = factory.LazyAttributeSequence(
        lambda o, n: "" if o.type == TypeUtilisateur.PARTICULIER else build_bce(7_000_000 + n)
    )
    rue = "Rue du Centre 5"
    code_postal = "5030"
    commune = "Gembloux"


class AdressageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Adressage

    conseiller = factory.SubFactory(ConseillerFactory)
    bureau = factory.SelfAttribute("conseiller.bureau")
    agence = factory.SubFactory(AgenceFactory)
    consentement_partage = True
    nom = factory.Faker("last_name", locale="fr_BE")
    prenom = factory.Faker("first_name", locale="fr_BE")
    niss = factory.Sequence(lambda n: niss_sequence(n, datetime.date(1990, 6, 1)))
    motif = "Reprendre un rythme de travail."


class PrestationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "prestations.Prestation"

    prestataire = factory.SubFactory(PrestataireFactory)
    agence = factory.SelfAttribute("prestataire.agence")
    utilisateur = factory.SubFactory(UtilisateurFactory, agence=factory.SelfAttribute("..agence"))
    activite = factory.SubFactory(ActiviteFactory, agence=factory.SelfAttribute("..agence"))
    date = factory.LazyFunction(datetime.date.today)
    debut = datetime.time(9, 0)
    fin = datetime.time(12, 0)
    heures = 3
    statut = "effectuee"
    validee_le = factory.LazyAttribute(
        lambda p: datetime.datetime.combine(p.date, p.fin, tzinfo=datetime.UTC) if p.statut == "validee" else None
    )
